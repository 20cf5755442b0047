// The code's layers, as README's folder table states them, checked on every import of the source:
// dependencies point one way (routes → queries/services → domain), the API reaches the pipeline
// only through worker/publication/ and domain/, and the page takes only types from the Worker.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

interface Import {
  file: string;
  /** Repository path of the imported module (relative specifiers only), without extension. */
  target: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith(".d.ts"))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

// Static imports and re-exports (`import type` and `export type` marked), and dynamic import().
const STATIC = /^\s*(import|export)\s+(type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const found: Import[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    if (!spec.startsWith(".")) return;
    const target = relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.(ts|tsx|js|mjs)$/, "");
    found.push({ file, target, typeOnly });
  };
  for (const m of text.matchAll(STATIC)) add(m[3] ?? "", m[2] !== undefined);
  for (const m of text.matchAll(DYNAMIC)) add(m[1] ?? "", false);
  return found;
}

const all = ["domain", "worker", "web/src"].flatMap(sourceFiles).flatMap(importsOf);
const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);
const violations = (from: string, allowed: (target: string, i: Import) => boolean) =>
  all.filter((i) => under(i.file, from) && !allowed(i.target, i)).map((i) => `${i.file} → ${i.target}`);

describe("layers: every import points the way README says", () => {
  it("finds the imports it checks (the parser is not blind)", () => {
    expect(all.length).toBeGreaterThan(500);
    expect(
      all.some((i) => i.file === "worker/api/routes/datasets.ts" && i.target === "worker/publication/publish"),
    ).toBe(true);
    expect(all.some((i) => i.file.startsWith("web/src/") && i.typeOnly && under(i.target, "worker/api/schemas"))).toBe(
      true,
    );
  });

  it("domain/ imports only domain/ (pure rules, no bindings, shared by all)", () => {
    expect(violations("domain", (t) => under(t, "domain"))).toEqual([]);
  });

  it("worker/db/ imports only the domain and itself", () => {
    expect(violations("worker/db", (t) => under(t, "domain") || under(t, "worker/db"))).toEqual([]);
  });

  it("worker/publication/ imports only the domain, the database layer and itself", () => {
    const ok = (t: string) => under(t, "domain") || under(t, "worker/db") || under(t, "worker/publication");
    expect(violations("worker/publication", ok)).toEqual([]);
  });

  it("the API never imports the pipeline, and the pipeline never imports the API", () => {
    expect(violations("worker/api", (t) => !under(t, "worker/ingest"))).toEqual([]);
    expect(violations("worker/ingest", (t) => !under(t, "worker/api"))).toEqual([]);
  });

  it("the page imports the domain's values but only types from the Worker", () => {
    expect(violations("web/src", (t, i) => !under(t, "worker") || i.typeOnly)).toEqual([]);
  });
});
