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
WITH codes(code, category) AS (VALUES ('ANT', 'COAL'), ('BIT', 'COAL'), ('COG', 'COAL'), ('LIG', 'COAL'), ('RC', 'COAL'), ('SGC', 'COAL'), ('SUB', 'COAL'), ('WC', 'COAL'), ('DFO', 'OIL'), ('JF', 'OIL'), ('KER', 'OIL'), ('PC', 'OIL'), ('RFO', 'OIL'), ('WO', 'OIL'), ('SGP', 'OIL'), ('NG', 'GAS'), ('PG', 'GAS'), ('BU', 'GAS'), ('BFG', 'OFSL'), ('OG', 'OFSL'), ('TDF', 'OFSL'), ('MSN', 'OFSL'), ('NUC', 'NUCLEAR'), ('WAT', 'HYDRO'), ('SUN', 'SOLAR'), ('WND', 'WIND'), ('GEO', 'GEOTHERMAL'), ('AB', 'BIOMASS'), ('BLQ', 'BIOMASS'), ('LFG', 'BIOMASS'), ('MSW', 'BIOMASS'), ('MSB', 'BIOMASS'), ('OBG', 'BIOMASS'), ('OBL', 'BIOMASS'), ('OBS', 'BIOMASS'), ('SLW', 'BIOMASS'), ('WDL', 'BIOMASS'), ('WDS', 'BIOMASS'), ('H', 'OTHF'), ('MWH', 'OTHF'), ('OTH', 'OTHF'), ('PRG', 'OTHF'), ('PUR', 'OTHF'), ('WH', 'OTHF')),
  by_code AS (
    SELECT g.ingestion_id, g.plant_key, g.fuel, max(g.state) AS state, max(g.plant_name) AS name,
      sum(g.net_generation_mwh) AS net, sum(g.capacity_mw) AS capacity, count(*) AS generators,
      count(g.net_generation_mwh) AS known
    FROM generators AS g
    WHERE g.ingestion_id IN (SELECT i.id FROM ingestions AS i WHERE i.id IN (SELECT id FROM ingestions WHERE status IN ('done', 'held') AND purged_at IS NULL) AND (SELECT instr(',' || coalesce(columns, '') || ',', ',FUELG1,') > 0 FROM ingestions WHERE id = i.id))
    GROUP BY g.ingestion_id, g.plant_key, g.fuel)
  INSERT INTO plant_fuels (ingestion_id, plant_key, fuel_category, state, name, net_generation_mwh,
    capacity_mw, generator_count, unknown_generator_count, other_codes)
  SELECT b.ingestion_id, b.plant_key, coalesce(c.category, 'OTHF') AS category, max(b.state), max(b.name),
    round(sum(b.net), 3), round(sum(b.capacity), 3), sum(b.generators), sum(b.generators) - sum(b.known),
    group_concat(DISTINCT CASE WHEN c.category IS NULL AND trim(b.fuel) <> '' THEN upper(trim(b.fuel)) END)
  FROM by_code AS b LEFT JOIN codes AS c ON c.code = upper(trim(b.fuel))
  GROUP BY b.ingestion_id, b.plant_key, category
  ORDER BY b.ingestion_id, category, max(b.state), round(sum(b.net), 3) DESC
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
