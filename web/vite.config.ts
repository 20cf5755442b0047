import { resolve } from "node:path";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

// `vite build web` -> web/dist (what Pages serves). `vite web` serves the page for development
// and proxies the API paths to a local `wrangler dev` (the same paths the Pages Functions proxy).
const apiOrigin = process.env.API_ORIGIN ?? "http://127.0.0.1:8787";

export default defineConfig(({ command }) => {
  // A build is always the production build, even when launched from a test runner that set
  // NODE_ENV=test (vitest does; the e2e stack builds the page): otherwise Preact's dev tooling
  // ships and the entry grows from ~17 kB to ~23 kB gzip.
  if (command === "build") process.env.NODE_ENV = "production";
  return {
    root: import.meta.dirname,
    plugins: [preact()],
    build: {
      outDir: "dist",
      emptyOutDir: true,
      target: "es2022",
    },
    server: {
      // The page imports the shared domain/ modules from the repo root, outside web/.
      fs: { allow: [import.meta.dirname, resolve(import.meta.dirname, "../domain")] },
      proxy: Object.fromEntries(["/api", "/health", "/openapi.json", "/docs"].map((p) => [p, apiOrigin])),
    },
  };
});
