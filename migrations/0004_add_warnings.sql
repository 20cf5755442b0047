ALTER TABLE `ingestion_chunks` ADD `warning` text;--> statement-breakpoint
ALTER TABLE `ingestions` ADD `warnings` text;