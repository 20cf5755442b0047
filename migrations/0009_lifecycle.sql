-- Publishing follows the owner's latest intent: upload order (ingestions.uploaded_at), held files
-- (status 'held', hold_reason), and years an owner published or withdrew by hand (datasets).
ALTER TABLE `datasets` ADD `intent_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `datasets` ADD `changed_by` text;--> statement-breakpoint
ALTER TABLE `datasets` ADD `withdrawn_at` integer;--> statement-breakpoint
ALTER TABLE `ingestions` ADD `uploaded_at` integer;--> statement-breakpoint
ALTER TABLE `ingestions` ADD `hold_reason` text;--> statement-breakpoint
-- Files loaded before this migration: their upload time is the notification's eventTime, else
-- when they were queued; each published year's intent is the upload time of its file.
UPDATE `ingestions` SET `uploaded_at` = coalesce(CAST(unixepoch(`event_time`, 'subsec') * 1000 AS INTEGER), `queued_at`);--> statement-breakpoint
UPDATE `datasets` SET `intent_at` = coalesce((SELECT `uploaded_at` FROM `ingestions` WHERE `id` = `datasets`.`ingestion_id`), `activated_at`);
