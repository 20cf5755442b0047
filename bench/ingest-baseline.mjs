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

/** Parses `file` and inserts its generator rows in one transaction; returns rows and seconds. */
export async function sqliteBaseline(root, file) {
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
  db.exec("COMMIT");
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return { rows, seconds };
}
