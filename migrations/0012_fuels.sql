CREATE TABLE `plant_fuels` (
	`ingestion_id` text NOT NULL,
	`plant_key` text NOT NULL,
	`fuel_category` text NOT NULL,
	`state` text NOT NULL,
	`name` text NOT NULL,
	`net_generation_mwh` real,
	`capacity_mw` real,
	`generator_count` integer NOT NULL,
	`unknown_generator_count` integer NOT NULL,
	`other_codes` text,
	PRIMARY KEY(`ingestion_id`, `plant_key`, `fuel_category`)
);
--> statement-breakpoint
CREATE INDEX `plant_fuels_top_idx` ON `plant_fuels` (`ingestion_id`,`fuel_category`,"net_generation_mwh" DESC,`name`);--> statement-breakpoint
CREATE INDEX `plant_fuels_state_top_idx` ON `plant_fuels` (`ingestion_id`,`fuel_category`,`state`,"net_generation_mwh" DESC,`name`);--> statement-breakpoint
CREATE TABLE `state_fuels` (
	`ingestion_id` text NOT NULL,
	`state` text NOT NULL,
	`fuel_category` text NOT NULL,
	`net_generation_mwh` real,
	`capacity_mw` real,
	`generator_count` integer NOT NULL,
	`plant_count` integer NOT NULL,
	`ranked_plant_count` integer NOT NULL,
	PRIMARY KEY(`ingestion_id`, `state`, `fuel_category`)
);
--> statement-breakpoint
CREATE TABLE `state_summaries` (
	`ingestion_id` text NOT NULL,
	`state` text NOT NULL,
	`data_year` integer NOT NULL,
	`plant_count` integer NOT NULL,
	`generator_count` integer NOT NULL,
	`net_generation_mwh` real,
	`capacity_mw` real,
	`top_plant_key` text,
	`has_fuel` integer NOT NULL,
	PRIMARY KEY(`ingestion_id`, `state`)
);
--> statement-breakpoint
-- Backfill: the fuel and state tables of every version already stored (worker/ingest/precompute-fuels.ts,
-- precomputeStatements(STORED_INGESTIONS); a test checks this text matches it).
INSERT INTO plant_fuels (ingestion_id, plant_key, fuel_category, state, name, net_generation_mwh,
    capacity_mw, generator_count, unknown_generator_count, other_codes)
  SELECT g.ingestion_id, g.plant_key, CASE WHEN upper(trim(g.fuel)) IN ('ANT', 'BIT', 'COG', 'LIG', 'RC', 'SGC', 'SUB', 'WC') THEN 'COAL' WHEN upper(trim(g.fuel)) IN ('DFO', 'JF', 'KER', 'PC', 'RFO', 'WO', 'SGP') THEN 'OIL' WHEN upper(trim(g.fuel)) IN ('NG', 'PG', 'BU') THEN 'GAS' WHEN upper(trim(g.fuel)) IN ('BFG', 'OG', 'TDF', 'MSN') THEN 'OFSL' WHEN upper(trim(g.fuel)) IN ('NUC') THEN 'NUCLEAR' WHEN upper(trim(g.fuel)) IN ('WAT') THEN 'HYDRO' WHEN upper(trim(g.fuel)) IN ('SUN') THEN 'SOLAR' WHEN upper(trim(g.fuel)) IN ('WND') THEN 'WIND' WHEN upper(trim(g.fuel)) IN ('GEO') THEN 'GEOTHERMAL' WHEN upper(trim(g.fuel)) IN ('AB', 'BLQ', 'LFG', 'MSW', 'MSB', 'OBG', 'OBL', 'OBS', 'SLW', 'WDL', 'WDS') THEN 'BIOMASS' ELSE 'OTHF' END AS category, max(g.state), max(g.plant_name),
    round(sum(g.net_generation_mwh), 3), round(sum(g.capacity_mw), 3), count(*), count(*) - count(g.net_generation_mwh),
    group_concat(DISTINCT CASE WHEN (trim(g.fuel) <> '' AND upper(trim(g.fuel)) NOT IN ('ANT', 'BIT', 'COG', 'LIG', 'RC', 'SGC', 'SUB', 'WC', 'DFO', 'JF', 'KER', 'PC', 'RFO', 'WO', 'SGP', 'NG', 'PG', 'BU', 'BFG', 'OG', 'TDF', 'MSN', 'NUC', 'WAT', 'SUN', 'WND', 'GEO', 'AB', 'BLQ', 'LFG', 'MSW', 'MSB', 'OBG', 'OBL', 'OBS', 'SLW', 'WDL', 'WDS', 'H', 'MWH', 'OTH', 'PRG', 'PUR', 'WH')) THEN upper(trim(g.fuel)) END)
  FROM generators AS g
  WHERE g.ingestion_id IN (SELECT i.id FROM ingestions AS i WHERE i.id IN (SELECT id FROM ingestions WHERE status IN ('done', 'held') AND purged_at IS NULL) AND (SELECT instr(',' || coalesce(columns, '') || ',', ',FUELG1,') > 0 FROM ingestions WHERE id = i.id))
  GROUP BY g.ingestion_id, g.plant_key, category
  ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO state_fuels (ingestion_id, state, fuel_category, net_generation_mwh, capacity_mw,
    generator_count, plant_count, ranked_plant_count)
  SELECT * FROM (
    SELECT ingestion_id, state, fuel_category, round(sum(net_generation_mwh), 3), round(sum(capacity_mw), 3), sum(generator_count),
    count(*), count(net_generation_mwh) FROM plant_fuels WHERE ingestion_id IN (SELECT id FROM ingestions WHERE status IN ('done', 'held') AND purged_at IS NULL)
      GROUP BY ingestion_id, state, fuel_category
    UNION ALL
    SELECT ingestion_id, 'US', fuel_category, round(sum(net_generation_mwh), 3), round(sum(capacity_mw), 3), sum(generator_count),
    count(*), count(net_generation_mwh) FROM plant_fuels WHERE ingestion_id IN (SELECT id FROM ingestions WHERE status IN ('done', 'held') AND purged_at IS NULL)
      GROUP BY ingestion_id, fuel_category
  ) WHERE true
  ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO state_summaries (ingestion_id, state, data_year, plant_count, generator_count,
    net_generation_mwh, capacity_mw, top_plant_key, has_fuel)
  SELECT * FROM (
    SELECT p.ingestion_id, p.state, max(p.data_year), count(*), sum(p.generator_count), round(sum(p.net_generation_mwh), 3),
    round(sum(p.capacity_mw), 3),
      (SELECT t.plant_key FROM plants AS t WHERE t.ingestion_id = p.ingestion_id AND t.state = p.state ORDER BY t.net_generation_mwh DESC, t.name LIMIT 1),
      (SELECT instr(',' || coalesce(columns, '') || ',', ',FUELG1,') > 0 FROM ingestions WHERE id = p.ingestion_id)
    FROM plants AS p WHERE p.ingestion_id IN (SELECT id FROM ingestions WHERE status IN ('done', 'held') AND purged_at IS NULL) GROUP BY p.ingestion_id, p.state
    UNION ALL
    SELECT p.ingestion_id, 'US', max(p.data_year), count(*), sum(p.generator_count), round(sum(p.net_generation_mwh), 3),
    round(sum(p.capacity_mw), 3),
      (SELECT t.plant_key FROM plants AS t WHERE t.ingestion_id = p.ingestion_id ORDER BY t.net_generation_mwh DESC, t.name LIMIT 1),
      (SELECT instr(',' || coalesce(columns, '') || ',', ',FUELG1,') > 0 FROM ingestions WHERE id = p.ingestion_id)
    FROM plants AS p WHERE p.ingestion_id IN (SELECT id FROM ingestions WHERE status IN ('done', 'held') AND purged_at IS NULL) GROUP BY p.ingestion_id
  ) WHERE true
  ON CONFLICT DO NOTHING;
