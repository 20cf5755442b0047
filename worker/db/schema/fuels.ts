import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Net generation of each plant per EPA fuel category (domain/fuels.ts), computed from the
 * generators when an ingestion completes, before it is published (migration 0012; rows of files
 * without FUELG1 are absent). GET /plants/top?fuel= walks one of the two ranking indexes and
 * reads plants by key for the page; a plant's mix is one seek on the primary key.
 */
export const plantFuels = sqliteTable(
  "plant_fuels",
  {
    ingestionId: text("ingestion_id").notNull(),
    plantKey: text("plant_key").notNull(),
    fuelCategory: text("fuel_category").notNull(),
    state: text("state").notNull(),
    name: text("name").notNull(),
    /** Sum of the known GENNTAN of the plant's generators in the category; NULL when none is known. */
    netGenerationMwh: real("net_generation_mwh"),
    capacityMw: real("capacity_mw"),
    generatorCount: integer("generator_count").notNull(),
    unknownGeneratorCount: integer("unknown_generator_count").notNull(),
    /** Comma-separated FUELG1 codes outside EPA's table counted here (OTHF only); NULL when none. */
    otherCodes: text("other_codes"),
  },
  (t) => [
    primaryKey({ columns: [t.ingestionId, t.plantKey, t.fuelCategory] }),
    index("plant_fuels_top_idx").on(t.ingestionId, t.fuelCategory, sql`${t.netGenerationMwh} DESC`, t.name),
    index("plant_fuels_state_top_idx").on(
      t.ingestionId,
      t.fuelCategory,
      t.state,
      sql`${t.netGenerationMwh} DESC`,
      t.name,
    ),
  ],
);

/** Fuel mix of each state, and of the nation as state 'US', per ingestion (from plant_fuels). */
export const stateFuels = sqliteTable(
  "state_fuels",
  {
    ingestionId: text("ingestion_id").notNull(),
    state: text("state").notNull(),
    fuelCategory: text("fuel_category").notNull(),
    netGenerationMwh: real("net_generation_mwh"),
    capacityMw: real("capacity_mw"),
    generatorCount: integer("generator_count").notNull(),
    /** Plants with a generator of the category. */
    plantCount: integer("plant_count").notNull(),
    /** Plants with known net generation in the category: the length of GET /plants/top?fuel=. */
    rankedPlantCount: integer("ranked_plant_count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ingestionId, t.state, t.fuelCategory] })],
);

/** Totals of each state, and of the nation as 'US', per ingestion (from plants), with its top plant. */
export const stateSummaries = sqliteTable(
  "state_summaries",
  {
    ingestionId: text("ingestion_id").notNull(),
    state: text("state").notNull(),
    dataYear: integer("data_year").notNull(),
    plantCount: integer("plant_count").notNull(),
    generatorCount: integer("generator_count").notNull(),
    netGenerationMwh: real("net_generation_mwh"),
    capacityMw: real("capacity_mw"),
    /** plant_key of the largest plant by net generation (ties by name). */
    topPlantKey: text("top_plant_key"),
    /** 1 when the file has a FUELG1 column (fuel tables filled), else 0: fuel queries answer 422. */
    hasFuel: integer("has_fuel").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ingestionId, t.state] })],
);
