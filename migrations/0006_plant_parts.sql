-- Per-chunk plant contributions, written by the consumer with each chunk's generators; publishing
-- merges them instead of grouping every generator through a second index. The index goes: each
-- generator row then costs one B-tree insert instead of two. Existing generators are turned into
-- one part per plant (chunk -1) first, so published datasets and unfinished ingestions keep working.
CREATE TABLE `plant_parts` (
	`ingestion_id` text NOT NULL,
	`plant_key` text NOT NULL,
	`chunk_index` integer NOT NULL,
	`state` text NOT NULL,
	`name` text NOT NULL,
	`orispl` integer,
	`net_generation_mwh` real,
	`generator_count` integer NOT NULL,
	`unknown_generator_count` integer NOT NULL,
	`capacity_mw` real,
	`fuel` text,
	`fuel_capacity_mw` real,
	`fuel_line` integer,
	`seqs` text NOT NULL,
	PRIMARY KEY(`ingestion_id`, `plant_key`, `chunk_index`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `plant_parts` SELECT g.ingestion_id, g.plant_key, -1, max(g.state), max(g.plant_name), max(g.orispl),
    sum(g.net_generation_mwh), count(*), sum(g.net_generation_mwh IS NULL), sum(g.capacity_mw),
    f.fuel, f.capacity_mw, f.line, json_group_array(g.seq)
  FROM `generators` AS g INDEXED BY `generators_plant_idx`
  LEFT JOIN `generators` AS f ON f.ingestion_id = g.ingestion_id AND f.seq = (
    SELECT g2.seq FROM `generators` AS g2 INDEXED BY `generators_plant_idx`
     WHERE g2.ingestion_id = g.ingestion_id AND g2.plant_key = g.plant_key AND g2.fuel IS NOT NULL
     ORDER BY g2.capacity_mw DESC NULLS LAST, g2.line LIMIT 1)
  GROUP BY g.ingestion_id, g.plant_key;
--> statement-breakpoint
DROP INDEX `generators_plant_idx`;
