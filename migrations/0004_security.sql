ALTER TABLE `story_flags` ADD `ip` text;--> statement-breakpoint
ALTER TABLE `tags` ADD `curated` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Tags an admin made or renamed before the column existed stay curated.
UPDATE `tags` SET `curated` = 1 WHERE 'tag:' || `id` IN (SELECT `target` FROM `audit_log` WHERE `action` IN ('tag.create', 'tag.update'));
