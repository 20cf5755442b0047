CREATE TABLE `change_pairs` (
	`ingestion_id` text NOT NULL,
	`previous_ingestion_id` text NOT NULL,
	`computed_at` integer NOT NULL,
	PRIMARY KEY(`ingestion_id`, `previous_ingestion_id`)
);
--> statement-breakpoint
CREATE TABLE `plant_changes` (
	`ingestion_id` text NOT NULL,
	`previous_ingestion_id` text NOT NULL,
	`plant_key` text NOT NULL,
	`previous_plant_key` text NOT NULL,
	`state` text NOT NULL,
	`fuel_category` text,
	`change_mwh` real NOT NULL,
	`matched_by` text NOT NULL,
	PRIMARY KEY(`ingestion_id`, `previous_ingestion_id`, `plant_key`)
);
--> statement-breakpoint
CREATE INDEX `plant_changes_idx` ON `plant_changes` (`ingestion_id`,`previous_ingestion_id`,`change_mwh`);--> statement-breakpoint
CREATE INDEX `plant_changes_state_idx` ON `plant_changes` (`ingestion_id`,`previous_ingestion_id`,`state`,`change_mwh`);--> statement-breakpoint
CREATE INDEX `plant_changes_fuel_idx` ON `plant_changes` (`ingestion_id`,`previous_ingestion_id`,`fuel_category`,`change_mwh`);--> statement-breakpoint
CREATE TABLE `plant_name_tokens` (
	`ingestion_id` text NOT NULL,
	`token` text NOT NULL,
	`plant_key` text NOT NULL,
	PRIMARY KEY(`ingestion_id`, `token`, `plant_key`)
);
--> statement-breakpoint
CREATE TABLE `plant_years` (
	`ingestion_id` text NOT NULL,
	`plant_key` text NOT NULL,
	`orispl` integer,
	`state` text NOT NULL,
	`name_key` text NOT NULL,
	`national_rank` integer NOT NULL,
	`state_rank` integer NOT NULL,
	PRIMARY KEY(`ingestion_id`, `plant_key`)
);
--> statement-breakpoint
CREATE INDEX `plant_years_orispl_idx` ON `plant_years` (`ingestion_id`,`orispl`);--> statement-breakpoint
CREATE INDEX `plant_years_name_idx` ON `plant_years` (`ingestion_id`,`state`,`name_key`);--> statement-breakpoint
INSERT INTO plant_years (ingestion_id, plant_key, orispl, state, name_key, national_rank, state_rank)
  SELECT * FROM (
    SELECT ingestion_id, plant_key, orispl, state, lower(name),
      row_number() OVER (PARTITION BY ingestion_id ORDER BY net_generation_mwh DESC, name),
      row_number() OVER (PARTITION BY ingestion_id, state ORDER BY net_generation_mwh DESC, name)
    FROM plants WHERE ingestion_id IN (SELECT id FROM ingestions WHERE status IN ('done', 'held') AND purged_at IS NULL)
  ) WHERE true
  ON CONFLICT DO NOTHING;
--> statement-breakpoint
UPDATE plant_years SET name_key = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(name_key, 'á', 'a'), 'à', 'a'), 'â', 'a'), 'ä', 'a'), 'ã', 'a'), 'å', 'a'), 'Á', 'a'), 'À', 'a'), 'Â', 'a'), 'Ä', 'a'), 'Ã', 'a'), 'Å', 'a'), 'ç', 'c'), 'Ç', 'c'), 'é', 'e'), 'è', 'e'), 'ê', 'e'), 'ë', 'e'), 'É', 'e'), 'È', 'e'), 'Ê', 'e'), 'Ë', 'e'), 'í', 'i'), 'ì', 'i'), 'î', 'i'), 'ï', 'i'), 'Í', 'i'), 'Ì', 'i'), 'Î', 'i'), 'Ï', 'i') WHERE ingestion_id IN (SELECT id FROM ingestions WHERE status IN ('done', 'held') AND purged_at IS NULL) AND (name_key GLOB '*[^a-z0-9 ]*' OR name_key GLOB '*  *' OR name_key GLOB ' *' OR name_key GLOB '* ');
--> statement-breakpoint
UPDATE plant_years SET name_key = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(name_key, 'ñ', 'n'), 'Ñ', 'n'), 'ó', 'o'), 'ò', 'o'), 'ô', 'o'), 'ö', 'o'), 'õ', 'o'), 'ø', 'o'), 'Ó', 'o'), 'Ò', 'o'), 'Ô', 'o'), 'Ö', 'o'), 'Õ', 'o'), 'Ø', 'o'), 'ú', 'u'), 'ù', 'u'), 'û', 'u'), 'ü', 'u'), 'Ú', 'u'), 'Ù', 'u'), 'Û', 'u'), 'Ü', 'u'), 'ý', 'y'), 'ÿ', 'y'), 'Ý', 'y'), '.', ' '), ',', ' '), ';', ' '), ':', ' '), '/', ' ') WHERE ingestion_id IN (SELECT id FROM ingestions WHERE status IN ('done', 'held') AND purged_at IS NULL) AND (name_key GLOB '*[^a-z0-9 ]*' OR name_key GLOB '*  *' OR name_key GLOB ' *' OR name_key GLOB '* ');
--> statement-breakpoint
UPDATE plant_years SET name_key = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(name_key, '\', ' '), '-', ' '), '_', ' '), '&', ' '), '+', ' '), '(', ' '), ')', ' '), '[', ' '), ']', ' '), '"', ' '), '#', ' '), '!', ' '), '?', ' '), '*', ' '), '@', ' '), '%', ' '), '=', ' '), '|', ' '), '<', ' '), '>', ' '), '~', ' '), '`', ' '), '^', ' '), '$', ' '), '	', ' '), '''', ''), '’', '') WHERE ingestion_id IN (SELECT id FROM ingestions WHERE status IN ('done', 'held') AND purged_at IS NULL) AND (name_key GLOB '*[^a-z0-9 ]*' OR name_key GLOB '*  *' OR name_key GLOB ' *' OR name_key GLOB '* ');
--> statement-breakpoint
UPDATE plant_years SET name_key = trim(replace(replace(replace(replace(replace(name_key, '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' ')) WHERE ingestion_id IN (SELECT id FROM ingestions WHERE status IN ('done', 'held') AND purged_at IS NULL) AND (name_key GLOB '*[^a-z0-9 ]*' OR name_key GLOB '*  *' OR name_key GLOB ' *' OR name_key GLOB '* ');
--> statement-breakpoint
WITH RECURSIVE words (ingestion_id, plant_key, word, rest) AS (
    SELECT ingestion_id, plant_key, '', name_key || ' ' FROM plant_years WHERE ingestion_id IN (SELECT id FROM ingestions WHERE status IN ('done', 'held') AND purged_at IS NULL)
    UNION ALL
    SELECT ingestion_id, plant_key, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM words WHERE rest <> ''
  )
  INSERT INTO plant_name_tokens (ingestion_id, token, plant_key)
  SELECT ingestion_id, word, plant_key FROM words WHERE word <> '' AND true
  ON CONFLICT DO NOTHING;
