#!/usr/bin/env node
// Fails when the page's initial JavaScript is over budget (issue 4: <= 60 KB gzipped; kB = 1000
// bytes, the stricter reading, and the unit `vite build` prints).
// "Initial" = every script web/dist/index.html loads before any interaction: module scripts and
// modulepreload links. Lazy chunks (the map) are listed for information only.
// Usage: node web/scripts/check-size.mjs [distDir] (run `vite build web` first).
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 60_000;
const dist = resolve(process.argv[2] ?? join(import.meta.dirname, "..", "dist"));

let html;
try {
  html = readFileSync(join(dist, "index.html"), "utf8");
} catch {
  console.error(`check-size: ${dist}/index.html not found; run \`npm run build:web\` first.`);
  process.exit(2);
}

const initial = new Set();
for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) initial.add(m[1]);
for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) initial.add(m[1]);
if (initial.size === 0) {
  console.error("check-size: no module script in index.html; is this a Vite build?");
  process.exit(2);
}

const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).byteLength;
const kb = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;
let total = 0;
for (const src of initial) {
  const size = gz(join(dist, src.replace(/^\//, "")));
  total += size;
  console.log(`initial  ${src}  ${kb(size)} gzip`);
}
const assets = join(dist, "assets");
for (const name of readdirSync(assets).filter((n) => n.endsWith(".js"))) {
  if (![...initial].some((src) => src.endsWith(`/${name}`)))
    console.log(`lazy     /assets/${name}  ${kb(gz(join(assets, name)))} gzip`);
}
const verdict = total <= BUDGET_BYTES ? "within" : "OVER";
console.log(`initial JavaScript ${kb(total)} gzip: ${verdict} the ${kb(BUDGET_BYTES)} budget`);
process.exit(total <= BUDGET_BYTES ? 0 : 1);
