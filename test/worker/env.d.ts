import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      /** Test-only: the SQL migrations, applied by apply-migrations.ts. */
      TEST_MIGRATIONS: D1Migration[];
      /** Test-only: serves the real eGRID files of data/egrid/ from the host (404 when absent). */
      FIXTURES: Fetcher;
    }
  }
}
