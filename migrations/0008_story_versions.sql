-- A story's version (docs/SCALE.md): triggers give it a new random value in the same transaction
-- as any change a story read shows, so the read can keep its answer until then. Random, not a
-- counter, so a database restored to an earlier point never reuses a value for other content.
CREATE TABLE `story_versions` (
	`story_id` integer PRIMARY KEY NOT NULL,
	`version` text NOT NULL,
	FOREIGN KEY (`story_id`) REFERENCES `stories`(`id`) ON UPDATE no action ON DELETE cascade
);--> statement-breakpoint
INSERT INTO `story_versions` (`story_id`, `version`) SELECT `id`, lower(hex(randomblob(8))) FROM `stories`;--> statement-breakpoint
CREATE TRIGGER `story_versions_new_story` AFTER INSERT ON `stories` BEGIN
	INSERT INTO `story_versions` (`story_id`, `version`) VALUES (NEW.`id`, lower(hex(randomblob(8))));
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_story` AFTER UPDATE ON `stories` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = NEW.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_story_tags_insert` AFTER INSERT ON `story_tags` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = NEW.`story_id`;
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_story_tags_update` AFTER UPDATE ON `story_tags` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = NEW.`story_id`;
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_story_tags_delete` AFTER DELETE ON `story_tags` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = OLD.`story_id`;
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_characters_insert` AFTER INSERT ON `characters` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = NEW.`story_id`;
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_characters_update` AFTER UPDATE ON `characters` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = NEW.`story_id`;
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_characters_delete` AFTER DELETE ON `characters` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = OLD.`story_id`;
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_locations_insert` AFTER INSERT ON `locations` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = NEW.`story_id`;
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_locations_update` AFTER UPDATE ON `locations` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = NEW.`story_id`;
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_locations_delete` AFTER DELETE ON `locations` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = OLD.`story_id`;
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_story_arcs_insert` AFTER INSERT ON `story_arcs` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = NEW.`story_id`;
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_story_arcs_update` AFTER UPDATE ON `story_arcs` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = NEW.`story_id`;
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_story_arcs_delete` AFTER DELETE ON `story_arcs` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = OLD.`story_id`;
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_chapters_insert` AFTER INSERT ON `chapters` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = NEW.`story_id`;
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_chapters_update` AFTER UPDATE ON `chapters` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = NEW.`story_id`;
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_chapters_delete` AFTER DELETE ON `chapters` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = OLD.`story_id`;
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_chapter_digests_insert` AFTER INSERT ON `chapter_digests` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = (SELECT `story_id` FROM `chapters` WHERE `id` = NEW.`chapter_id`);
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_chapter_digests_update` AFTER UPDATE ON `chapter_digests` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = (SELECT `story_id` FROM `chapters` WHERE `id` = NEW.`chapter_id`);
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_chapter_digests_delete` AFTER DELETE ON `chapter_digests` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` = (SELECT `story_id` FROM `chapters` WHERE `id` = OLD.`chapter_id`);
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_tag_name` AFTER UPDATE OF `name` ON `tags` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` IN (SELECT `story_id` FROM `story_tags` WHERE `tag_id` = NEW.`id`);
END;--> statement-breakpoint
CREATE TRIGGER `story_versions_author_name` AFTER UPDATE OF `username` ON `users` BEGIN
	UPDATE `story_versions` SET `version` = lower(hex(randomblob(8))) WHERE `story_id` IN (SELECT `id` FROM `stories` WHERE `user_id` = NEW.`id`);
END;
