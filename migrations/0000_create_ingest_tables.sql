CREATE TABLE `datasets` (
	`data_year` integer PRIMARY KEY NOT NULL,
	`ingestion_id` text NOT NULL,
	`activated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `generators` (
	`ingestion_id` text NOT NULL,
	`line` integer NOT NULL,
	`seq` integer,
	`data_year` integer NOT NULL,
	`plant_key` text NOT NULL,
	`state` text NOT NULL,
	`plant_name` text NOT NULL,
	`orispl` integer,
	`generator_id` text NOT NULL,
	`net_generation_mwh` real,
	`status` text,
	`prime_mover` text,
	`fuel` text,
	`capacity_mw` real,
	`capacity_factor` real,
	`year_online` integer,
	`year_retired` integer,
	PRIMARY KEY(`ingestion_id`, `line`)
);
--> statement-breakpoint
CREATE INDEX `generators_plant_idx` ON `generators` (`ingestion_id`,`plant_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `generators_seq_idx` ON `generators` (`ingestion_id`,`seq`);--> statement-breakpoint
CREATE TABLE `ingestion_chunks` (
	`ingestion_id` text NOT NULL,
	`chunk_index` integer NOT NULL,
	`byte_start` integer NOT NULL,
	`byte_end` integer NOT NULL,
	`first_line` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`rows_read` integer DEFAULT 0 NOT NULL,
	`rows_loaded` integer DEFAULT 0 NOT NULL,
	`rows_rejected` integer DEFAULT 0 NOT NULL,
	`completed_at` integer,
	PRIMARY KEY(`ingestion_id`, `chunk_index`)
);
--> statement-breakpoint
CREATE TABLE `ingestions` (
	`id` text PRIMARY KEY NOT NULL,
	`bucket` text NOT NULL,
	`object_key` text NOT NULL,
	`etag` text NOT NULL,
	`size_bytes` integer,
	`status` text DEFAULT 'queued' NOT NULL,
	`error` text,
	`data_year` integer,
	`columns` text,
	`chunk_count` integer,
	`rows_read` integer DEFAULT 0 NOT NULL,
	`rows_loaded` integer DEFAULT 0 NOT NULL,
	`rows_rejected` integer DEFAULT 0 NOT NULL,
	`plant_count` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`replaced_ingestion_id` text,
	`superseded_by` text,
	`uploaded_by` text,
	`event_time` text,
	`queued_at` integer NOT NULL,
	`started_at` integer,
	`completed_at` integer
);
--> statement-breakpoint
CREATE INDEX `ingestions_object_idx` ON `ingestions` (`bucket`,`object_key`);--> statement-breakpoint
CREATE INDEX `ingestions_queued_at_idx` ON `ingestions` (`queued_at`);--> statement-breakpoint
CREATE TABLE `plants` (
	`ingestion_id` text NOT NULL,
	`plant_key` text NOT NULL,
	`data_year` integer NOT NULL,
	`state` text NOT NULL,
	`name` text NOT NULL,
	`orispl` integer,
	`net_generation_mwh` real,
	`generator_count` integer NOT NULL,
	`unknown_generator_count` integer NOT NULL,
	`primary_fuel` text,
	`capacity_mw` real,
	PRIMARY KEY(`ingestion_id`, `plant_key`)
);
--> statement-breakpoint
CREATE INDEX `plants_top_idx` ON `plants` (`ingestion_id`,"net_generation_mwh" DESC,`name`);--> statement-breakpoint
CREATE INDEX `plants_state_top_idx` ON `plants` (`ingestion_id`,`state`,"net_generation_mwh" DESC,`name`);--> statement-breakpoint
CREATE TABLE `rejected_rows` (
	`ingestion_id` text NOT NULL,
	`line` integer NOT NULL,
	`reason` text NOT NULL,
	`raw` text,
	PRIMARY KEY(`ingestion_id`, `line`)
);
