-- A chapter's findings and a job's canon move to R2 (docs/SCALE.md). New checks store their
-- findings under `findings_hash`; older rows keep theirs inline until the chapter is checked again.
-- A finished job no longer needs its canon (only `bible_hash`, on the job), so those rows go now;
-- running jobs keep theirs, and their units still read it.
ALTER TABLE `chapter_checks` ADD `findings_hash` text;--> statement-breakpoint
DELETE FROM `job_canons` WHERE `job_id` IN (SELECT `id` FROM `generation_jobs` WHERE `status` NOT IN ('queued', 'running'));
