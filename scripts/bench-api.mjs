// `npm run bench:api`: see bench/api.mjs (runs under Node >= 22.12 via scripts/bootstrap.mjs).
// Imported only after the command line is read, so `--help` never starts a run.
import { parseCommandLine } from "./lib/cli.ts";

parseCommandLine(
  "bench:api",
  `usage: npm run bench:api [-- --help]

Measures the API on this machine: starts its own \`wrangler dev\` on loopback with a temporary
state directory and generated secrets, loads data/egrid/egrid2023_gen23.csv through
POST /api/v1/uploads and the real pipeline, creates analyst users, then runs autocannon against
/health/live (the floor: no dependency), /health, top-N cached and top-N uncached (every request
a new page) at each connection count, and cached top-N as a share of /health/live. Then, at one
connection, the same with 80 ms added before every D1 round trip (POST /__dev/faults
{"d1LatencyMs": 80}, a far edge location): p50 of /health/live, cached and uncached top-N. Prints req/s, p50, p99 and errors per scenario and writes them to
bench/out/api-<time>.json. Takes about (4 scenarios x connection counts + 3) x BENCH_SECONDS plus
a minute to start; many connections on a 2-core machine also load everything else running.

Options:
  -h, --help                  this text; runs nothing

Environment:
  BENCH_CONNECTIONS=1,50,200    connection counts, comma-separated (one run of each scenario per count)
  BENCH_SECONDS=10              length of each run
  BENCH_USERS=300               analysts the load is spread over (API_LIMITER: 6,000 requests/min per user)
  BENCH_WRANGLER_LOG_LEVEL=warn wrangler's log level (its per-request lines slow it down)

Example: BENCH_CONNECTIONS=1 BENCH_SECONDS=5 npm run bench:api`,
);
await import("../bench/api.mjs");
