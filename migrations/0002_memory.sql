CREATE TABLE `chapter_digests` (
	`chapter_id` integer PRIMARY KEY NOT NULL,
	`content_hash` text NOT NULL,
	`digest` text NOT NULL,
	`dropped_facts` integer DEFAULT 0 NOT NULL,
	`source` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`chapter_id`) REFERENCES `chapters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `job_canons` (
	`job_id` integer PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`canon` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `generation_jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `chapters` ADD `content_hash` text;--> statement-breakpoint
ALTER TABLE `chapters` ADD `bible_hash` text;--> statement-breakpoint
ALTER TABLE `chapters` ADD `exit_contract` text;--> statement-breakpoint
ALTER TABLE `characters` ADD `aliases` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `generation_jobs` ADD `mode` text;--> statement-breakpoint
ALTER TABLE `generation_jobs` ADD `bible_hash` text;--> statement-breakpoint
ALTER TABLE `generation_logs` ADD `after` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `locations` ADD `aliases` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `stories` ADD `opening_contract` text;