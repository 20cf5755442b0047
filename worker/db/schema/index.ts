/**
 * The D1 schema, and the source of truth for migrations/: `drizzle-kit generate` against it must
 * find nothing to do (test/scripts/migrations.test.ts), so every schema edit ships with its
 * generated migration in the same commit.
 *
 * WITHOUT ROWID rule: `generators` and `plant_parts` are WITHOUT ROWID tables (migrations 0005,
 * 0007), which drizzle cannot declare. drizzle-kit changes a column by rebuilding the table
 * (`CREATE TABLE __new_x`, copy, rename) from this schema, so a generated migration that touches
 * either table drops WITHOUT ROWID silently: append ") WITHOUT ROWID" to its CREATE TABLE by hand
 * before committing. test/worker/db/without-rowid.test.ts fails when that was forgotten, or when
 * a new WITHOUT ROWID table is not added to the rule.
 */
export * from "./auth";
export * from "./fuels";
export * from "./imports";
export * from "./ingest";
export * from "./years";
