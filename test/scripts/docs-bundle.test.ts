import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { run, WRANGLER } from "../../scripts/lib/processes.ts";

// The worker test pool resolves wrangler.toml's [[rules]] its own way; only wrangler's own build
// shows whether Swagger UI ships as text modules (served to browsers) or as code bundled into
// the Worker (which once left /docs/assets/swagger-ui.css empty).
describe("wrangler deploy --dry-run: the /docs assets", () => {
  it("ships Swagger UI's bundle and CSS as separate text modules, inside the size limit", async () => {
    const out = await mkdtemp(join(tmpdir(), "egrid-docs-bundle-"));
    try {
      await run(WRANGLER, ["deploy", "--dry-run", "--outdir", out]);
      const files = await readdir(out);
      expect(files.filter((f) => /-swagger-ui-bundle\.js$/.test(f))).toHaveLength(1);
      expect(files.filter((f) => /-swagger-ui\.css$/.test(f))).toHaveLength(1);
      expect(files).not.toContain("index.css");
      const worker = await readFile(join(out, "index.js"), "utf8");
      expect(worker).not.toContain("webpackUniversalModuleDefinition");
      let gzip = 0;
      for (const f of files.filter((name) => !name.endsWith(".map"))) {
        gzip += gzipSync(await readFile(join(out, f)), { level: 9 }).length;
      }
      // Workers Free plan: 3 MB after compression; keep well under it.
      expect(gzip).toBeLessThan(1.5 * 1024 * 1024);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
