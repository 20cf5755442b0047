// Baseline for the ingest benchmark: the same GEN rows parsed with papaparse and written by
// node:sqlite (Node >= 22) into the same schema, in ONE transaction, with no network, no queue
// and no chunking. It is the "how fast can SQLite itself do it" ceiling the pipeline is held to.
import { createReadStream, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import Papa from "papaparse";

const NUMBER = /^(-)?(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?$/;

function mwh(raw) {
  let text = raw.trim();
  if (text === "" || text === "N/A" || text === "--") return null;
  const negative = text.startsWith("(") && text.endsWith(")");
  if (negative) text = text.slice(1, -1);
  if (!NUMBER.test(text)) return undefined;
  const value = Number(text.replaceAll(",", ""));
  return negative && value !== 0 ? -value : value;
}

/** Applies the project's migrations to a fresh in-memory database. */
function migratedDatabase(root) {
  const db = new DatabaseSync(":memory:");
  const dir = join(root, "migrations");
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    for (const statement of readFileSync(join(dir, file), "utf8").split("--> statement-breakpoint")) {
      if (statement.trim()) db.exec(statement);
    }
  }
  return db;
}

// The whole job in plain SQLite, for comparison only: after the generators, the same plant
// totals the pipeline publishes (sums, counts, primary fuel, capacity) into the plants table
// with its two top-N indexes, in the same transaction.
const PLANTS = `INSERT INTO plants (ingestion_id, plant_key, data_year, state, name, orispl, net_generation_mwh,
    generator_count, unknown_generator_count, primary_fuel, capacity_mw)
  SELECT g.ingestion_id, g.plant_key, max(g.data_year), max(g.state), max(g.plant_name), max(g.orispl),
    round(sum(g.net_generation_mwh), 3), count(*), sum(g.net_generation_mwh IS NULL),
    (SELECT g2.fuel FROM generators AS g2 INDEXED BY baseline_plant_idx WHERE g2.ingestion_id = g.ingestion_id AND g2.plant_key = g.plant_key
      AND g2.fuel IS NOT NULL ORDER BY g2.capacity_mw DESC NULLS LAST, g2.line LIMIT 1),
    round(sum(g.capacity_mw), 3)
  FROM generators AS g INDEXED BY baseline_plant_idx WHERE g.ingestion_id = 'baseline' GROUP BY g.plant_key`;

/**
 * Parses `file` and inserts its generator rows in one transaction; returns rows and seconds.
 * With `plants`, the same transaction also computes the plant totals (the whole job).
 */
export async function sqliteBaseline(root, file, { plants = false } = {}) {
  const db = migratedDatabase(root);
  const insert = db.prepare(`INSERT INTO generators (ingestion_id, data_year, line, seq, plant_key, state, plant_name,
    orispl, generator_id, net_generation_mwh) VALUES ('baseline', ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const started = performance.now();
  let header;
  let line = 0;
  let rows = 0;
  db.exec("BEGIN");
  await new Promise((resolve, reject) => {
    Papa.parse(createReadStream(file, "utf8"), {
      step: ({ data }) => {
        line++;
        if (!header) {
          const codes = data.map((c) => c.trim().toUpperCase());
          if (codes.includes("GENNTAN")) header = codes;
          return;
        }
        const at = (code) => data[header.indexOf(code)] ?? "";
        const net = mwh(at("GENNTAN"));
        if (net === undefined) return;
        const state = at("PSTATEABB") || at("PSTATABB");
        const orispl = header.includes("ORISPL") ? Number(at("ORISPL")) || null : null;
        const name = at("PNAME").trim();
        insert.run(
          Number(at("YEAR")),
          line,
          Number(data[header.findIndex((c) => c.startsWith("SEQGEN"))]),
          orispl ?? `${state}:${name}`,
          state,
          name,
          orispl,
          at("GENID"),
          net,
        );
        rows++;
      },
      complete: resolve,
      error: reject,
    });
  });
  if (plants) {
    // A loader in one process would index generators by plant for this, then drop the index.
    db.exec("CREATE INDEX baseline_plant_idx ON generators (ingestion_id, plant_key)");
    db.exec(PLANTS);
  }
  db.exec("COMMIT");
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return { rows, seconds };
}
