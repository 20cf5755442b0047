import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Per plant of each stored ingestion, what following it across years needs (migration 0013),
 * computed with plant_fuels when the ingestion completes: its ranks and its name key
 * (domain/plant-names.ts). The previous year of a top-N row, a plant's history and
 * movers find a plant of another year with one seek of the ORISPL or the (state, name key)
 * index; numbers come from `plants` by primary key.
 */
export const plantYears = sqliteTable(
  "plant_years",
  {
    ingestionId: text("ingestion_id").notNull(),
    plantKey: text("plant_key").notNull(),
    orispl: integer("orispl"),
    state: text("state").notNull(),
    nameKey: text("name_key").notNull(),
    /** Rank by net generation (descending, ties by name, unknown last) in the nation and in the state. */
    nationalRank: integer("national_rank").notNull(),
    stateRank: integer("state_rank").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ingestionId, t.plantKey] }),
    index("plant_years_orispl_idx").on(t.ingestionId, t.orispl),
    index("plant_years_name_idx").on(t.ingestionId, t.state, t.nameKey),
  ],
);

/** Each word of each plant's name key: GET /plants?search= walks one word-prefix range. */
export const plantNameTokens = sqliteTable(
  "plant_name_tokens",
  {
    ingestionId: text("ingestion_id").notNull(),
    token: text("token").notNull(),
    plantKey: text("plant_key").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ingestionId, t.token, t.plantKey] })],
);

/**
 * Change of each plant with known net generation in both of two ingestions: the published one
 * of a year and the published one of the nearest earlier year with data. Computed per pair
 * whenever publications change (a republished or withdrawn year makes a new pair), recorded in
 * change_pairs; GET /plants/movers walks one of the change indexes.
 */
export const plantChanges = sqliteTable(
  "plant_changes",
  {
    ingestionId: text("ingestion_id").notNull(),
    previousIngestionId: text("previous_ingestion_id").notNull(),
    plantKey: text("plant_key").notNull(),
    previousPlantKey: text("previous_plant_key").notNull(),
    state: text("state").notNull(),
    /** EPA category of the plant's primary fuel this year; NULL without one. */
    fuelCategory: text("fuel_category"),
    changeMwh: real("change_mwh").notNull(),
    matchedBy: text("matched_by", { enum: ["orispl", "name"] }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ingestionId, t.previousIngestionId, t.plantKey] }),
    index("plant_changes_idx").on(t.ingestionId, t.previousIngestionId, t.changeMwh),
    index("plant_changes_state_idx").on(t.ingestionId, t.previousIngestionId, t.state, t.changeMwh),
    index("plant_changes_fuel_idx").on(t.ingestionId, t.previousIngestionId, t.fuelCategory, t.changeMwh),
  ],
);

/** The (ingestion, previous ingestion) pairs whose plant_changes are complete. */
export const changePairs = sqliteTable(
  "change_pairs",
  {
    ingestionId: text("ingestion_id").notNull(),
    previousIngestionId: text("previous_ingestion_id").notNull(),
    computedAt: integer("computed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ingestionId, t.previousIngestionId] })],
);
