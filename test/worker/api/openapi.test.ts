import { describe, expect, it } from "vitest";
import { call } from "./helpers";

interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; security?: unknown[] }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document with every public path, generated from the validating schemas", async () => {
    const res = await call("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as OpenApiDoc;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/api/v1/audit",
        "/api/v1/auth/token",
        "/api/v1/datasets",
        "/api/v1/datasets/{year}/active",
        "/api/v1/imports",
        "/api/v1/ingestions",
        "/api/v1/ingestions/{id}",
        "/api/v1/keys",
        "/api/v1/keys/{id}",
        "/api/v1/plants/top",
        "/api/v1/plants/{plantId}",
        "/api/v1/states",
        "/api/v1/uploads",
        "/api/v1/users",
        "/api/v1/users/{id}",
        "/api/v1/years",
        "/health",
      ].sort(),
    );
    const top = doc.paths["/api/v1/plants/top"]?.get;
    expect(top?.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual(
      ["query:format", "query:n", "query:offset", "query:state", "query:year"].sort(),
    );
    expect(top?.security).toEqual([{ Bearer: [] }]);
    expect(doc.paths["/api/v1/auth/token"]?.post?.security).toBeUndefined();
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["Problem", "TopPlants", "Ingestion"]));
    expect(doc.components.securitySchemes.Bearer).toMatchObject({ type: "http", scheme: "bearer" });
    // Every $ref points at a defined component.
    for (const ref of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      expect(doc.components.schemas).toHaveProperty(ref[1] as string);
    }
  });
});

describe("GET /docs", () => {
  it("is a self-contained page that loads nothing from other hosts", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('fetch("/openapi.json")');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?(https?:)?\/\//i);
  });
});
