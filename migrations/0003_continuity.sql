CREATE TABLE `chapter_checks` (
	`chapter_id` integer PRIMARY KEY NOT NULL,
	`content_hash` text,
	`checked_at` integer NOT NULL,
	`metrics` text NOT NULL,
	`findings` text NOT NULL,
	`audit` text,
	FOREIGN KEY (`chapter_id`) REFERENCES `chapters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `finding_dismissals` (
	`story_id` integer NOT NULL,
	`finding_id` text NOT NULL,
	`type` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`story_id`, `finding_id`),
	FOREIGN KEY (`story_id`) REFERENCES `stories`(`id`) ON UPDATE no action ON DELETE cascade
);
