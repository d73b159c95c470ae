-- Prose moves to R2 (docs/SCALE.md): a revision keeps only its text's hash and word count. SQL
-- cannot write objects, so texts already stored stay inline and readable until the Worker's
-- scheduled handler moves them (moveInlineProse in src/domain/prose.ts), a batch at a time.
ALTER TABLE `chapter_revisions` ADD `content_hash` text;--> statement-breakpoint
ALTER TABLE `chapter_revisions` ADD `word_count` integer DEFAULT 0 NOT NULL;
