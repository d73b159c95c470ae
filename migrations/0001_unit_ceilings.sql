ALTER TABLE `generation_logs` ADD `max_output_tokens` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `generation_logs` ADD `max_cost` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `generation_logs` ADD `held_cost` integer;--> statement-breakpoint
ALTER TABLE `generation_logs` ADD `uncapped_cost` integer;