import { defineConfig } from "drizzle-kit";

// Flat NNNN_name.sql files in ./migrations, which `wrangler d1 migrations apply` reads.
export default defineConfig({
  dialect: "sqlite",
  schema: "./worker/db/schema/index.ts",
  out: "./migrations",
});
