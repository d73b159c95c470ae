-- A chapter's beats move to R2 (docs/SCALE.md): new guides are one object per chapter under
-- `guide_hash`, with their count on the chapter row. SQL cannot write objects, so the beats stored
-- as rows are copied into the chapter's `guide` column (JSON, in order) and read from there until
-- the Worker's scheduled handler moves them (moveInlineText in src/domain/prose.ts). The rows are
-- copied before their table goes, so nothing is lost.
ALTER TABLE `chapters` ADD `guide` text;--> statement-breakpoint
ALTER TABLE `chapters` ADD `guide_hash` text;--> statement-breakpoint
ALTER TABLE `chapters` ADD `guide_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `chapters` SET
	`guide` = (SELECT json_group_array(json_object('text', `text`, 'characters', json(`characters`), 'locations', json(`locations`)))
		FROM (SELECT `text`, `characters`, `locations` FROM `chapter_guides` WHERE `chapter_guides`.`chapter_id` = `chapters`.`id` ORDER BY `position`)),
	`guide_count` = (SELECT count(*) FROM `chapter_guides` WHERE `chapter_guides`.`chapter_id` = `chapters`.`id`)
WHERE `id` IN (SELECT `chapter_id` FROM `chapter_guides`);--> statement-breakpoint
DROP TABLE `chapter_guides`;
