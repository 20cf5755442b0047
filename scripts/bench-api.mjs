// `npm run bench:api`: see bench/api.mjs (runs under Node >= 22.12 via scripts/bootstrap.mjs).
// Imported only after the command line is read, so `--help` never starts a run.
import { parseCommandLine } from "./lib/cli.ts";

parseCommandLine(
  "bench:api",
  `usage: npm run bench:api [-- --help]

Measures the API on this machine: starts its own \`wrangler dev\` on loopback with a temporary
state directory and generated secrets, and a hello-world Worker (bench/hello) the same way;
loads data/egrid/egrid2023_gen23.csv, egrid2021_gen21.csv (for its fuel column) and a generated 2022 file through POST /api/v1/uploads and
the real pipeline, creates analyst users, then:
- cache growth: 1,000 random top-N requests (random n, offset, state) on the 2022 data, which no
  request read before, and the bytes the local KV store grew by (target ≤ 10 MB);
- at each connection count, autocannon against the hello-world Worker, /health/live (the floor:
  no dependency), /health, top-N cached and top-N uncached (every request a new page), the analysis
  endpoints cached and uncached (fuel top-N, state detail and history, movers, search), and cached
  top-N as a share of /health/live (target ≥ 70%) and of the hello-world Worker (before the
  cached run, one untimed request per user: a user's first request in 30 s checks its row in D1);
- at one connection, the same with 80 ms added before every D1 round trip (POST /__dev/faults
  {"d1LatencyMs": 80}, a far edge location): p50 of /health/live, cached and uncached top-N.
Prints req/s, p50, p99 and errors per scenario and writes them to bench/out/api-<time>.json.
Takes about (5 scenarios x connection counts + 3) x BENCH_SECONDS plus two minutes to start;
many connections on a 2-core machine also load everything else running.

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
