-- Generators keyed by (ingestion, SEQGENyy) in a WITHOUT ROWID table: one B-tree fewer per row
-- than rowid + primary key + unique sequence index. No foreign keys exist, so no PRAGMA is needed
-- (D1 runs each migration in a transaction).
CREATE TABLE `__new_generators` (
	`ingestion_id` text NOT NULL,
	`line` integer NOT NULL,
	`seq` integer NOT NULL,
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
	PRIMARY KEY(`ingestion_id`, `seq`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_generators`("ingestion_id", "line", "seq", "data_year", "plant_key", "state", "plant_name", "orispl", "generator_id", "net_generation_mwh", "status", "prime_mover", "fuel", "capacity_mw", "capacity_factor", "year_online", "year_retired") SELECT "ingestion_id", "line", "seq", "data_year", "plant_key", "state", "plant_name", "orispl", "generator_id", "net_generation_mwh", "status", "prime_mover", "fuel", "capacity_mw", "capacity_factor", "year_online", "year_retired" FROM `generators`;--> statement-breakpoint
DROP TABLE `generators`;--> statement-breakpoint
ALTER TABLE `__new_generators` RENAME TO `generators`;--> statement-breakpoint
CREATE INDEX `generators_plant_idx` ON `generators` (`ingestion_id`,`plant_key`);