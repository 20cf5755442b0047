ALTER TABLE `ingestions` ADD `layout` text;--> statement-breakpoint
ALTER TABLE `ingestions` ADD `purged_at` integer;--> statement-breakpoint
CREATE INDEX `ingestions_year_idx` ON `ingestions` (`data_year`,`status`);