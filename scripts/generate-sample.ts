// `npm run generate-sample -- [--rows N | --bytes 100MB] [--year 2023] [--seed 1] [--full] [--out file]`
// Writes a deterministic, realistic eGRID GEN-format CSV (see scripts/lib/sample.ts).
import { resolve } from "node:path";
import { fail as exit, parseCommandLine } from "./lib/cli.ts";
import { parseByteSize, writeSampleGenCsv } from "./lib/sample.ts";

const usage = `usage: npm run generate-sample -- [--rows N | --bytes 100MB] [--year 2023] [--seed 1] [--full] [--out file]
  --rows N      generator rows to write (default 26,601, the size of eGRID 2023)
  --bytes SIZE  write rows until the file reaches SIZE (100MB, 1.5GB, 500kB)
  --year YYYY   data year (column SEQGENyy and YEAR), default 2023
  --seed N      PRNG seed: the same seed gives the same file, byte for byte (default 1)
  --full        the 17-column GEN layout (ORISPL, PRMVR, FUELG1, NAMEPCAP, ...) instead of six
  --out FILE    output path (default egrid-sample-<year>.csv)`;

const fail = (message: string) => exit("generate-sample", message, usage);

function positiveInt(name: string, text: string) {
  const n = Number(String(text).replaceAll(",", "").replaceAll("_", ""));
  if (!Number.isSafeInteger(n) || n <= 0) fail(`--${name} must be a positive whole number, got '${text}'`);
  return n;
}

const args = parseCommandLine("generate-sample", usage, {
  rows: { type: "string" },
  bytes: { type: "string" },
  year: { type: "string", default: "2023" },
  seed: { type: "string", default: "1" },
  full: { type: "boolean", default: false },
  out: { type: "string" },
});
const year = positiveInt("year", args.year);
if (year < 1996 || year > 2100) fail(`--year looks wrong: ${year}`);
let bytes: number | undefined;
try {
  bytes = args.bytes === undefined ? undefined : parseByteSize(args.bytes);
} catch (error) {
  fail((error as Error).message);
}
const options = {
  rows: args.rows === undefined ? undefined : positiveInt("rows", args.rows),
  bytes,
  year,
  seed: positiveInt("seed", args.seed),
  full: args.full,
};
// npm runs scripts from the package root; INIT_CWD is where the user typed the command.
const out = resolve(process.env.INIT_CWD ?? process.cwd(), args.out ?? `egrid-sample-${year}.csv`);
const started = performance.now();
const facts = await writeSampleGenCsv(out, options);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `wrote ${out}: ${facts.rows.toLocaleString("en-US")} generator rows, ${facts.plants.toLocaleString("en-US")} plants, ` +
    `${(facts.bytes / 1e6).toFixed(1)} MB in ${seconds} s (seed ${facts.seed}, year ${facts.year}${facts.full ? ", 17 columns" : ""})`,
);
console.log(
  `  ${facts.unknownGenerators} blank GENNTAN (unknown), ${facts.negativeGenerators} negative, ` +
    `${facts.namesWithCommas} quoted names with commas, ${facts.states.length} state codes`,
);
