import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "./helpers";

interface Parameter {
  name: string;
  in: string;
  description?: string;
  example?: unknown;
  schema?: { example?: unknown; enum?: unknown[]; minimum?: number; maximum?: number; maxLength?: number };
}
interface Operation {
  parameters?: Parameter[];
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { example?: unknown }>; securitySchemes: Record<string, unknown> };
}

async function openapi(): Promise<OpenApiDoc> {
  const res = await call("/openapi.json");
  expect(res.status).toBe(200);
  return (await res.json()) as OpenApiDoc;
}

function operations(doc: OpenApiDoc): [string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, Operation]),
  );
}

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document with every public path, generated from the validating schemas", async () => {
    const doc = await openapi();
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
        "/api/v1/plants",
        "/api/v1/plants/movers",
        "/api/v1/plants/top",
        "/api/v1/plants/{plantId}",
        "/api/v1/plants/{plantId}/history",
        "/api/v1/states",
        "/api/v1/states/{code}",
        "/api/v1/states/{code}/history",
        "/api/v1/uploads",
        "/api/v1/users",
        "/api/v1/users/{id}",
        "/api/v1/years",
        "/health",
        "/health/live",
      ].sort(),
    );
    const top = doc.paths["/api/v1/plants/top"]?.get;
    expect(top?.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual(
      ["query:format", "query:fuel", "query:n", "query:offset", "query:state", "query:year"].sort(),
    );
    const plant = doc.paths["/api/v1/plants/{plantId}"]?.get;
    expect(plant?.parameters?.map((p) => `${p.in}:${p.name}`).sort()).toEqual(
      ["path:plantId", "query:cursor", "query:limit", "query:year"].sort(),
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

  it("describes every parameter: a description, an example, and its range or allowed values", async () => {
    const doc = await openapi();
    const undocumented: string[] = [];
    for (const [name, op] of operations(doc)) {
      for (const p of op.parameters ?? []) {
        const where = `${name} ${p.in}:${p.name}`;
        if (!p.description?.trim()) undocumented.push(`${where} has no description`);
        // An opaque cursor has no meaningful example (Try it out would send it and be refused).
        const opaque = p.name === "cursor";
        if (!opaque && p.example === undefined && p.schema?.example === undefined) {
          undocumented.push(`${where} has no example`);
        }
        const bounded =
          p.schema?.enum !== undefined || p.schema?.maximum !== undefined || p.schema?.maxLength !== undefined;
        if (!bounded) undocumented.push(`${where} states no range or allowed values`);
      }
    }
    expect(undocumented).toEqual([]);
    const n = doc.paths["/api/v1/plants/top"]?.get?.parameters?.find((p) => p.name === "n");
    expect(n?.schema).toMatchObject({ minimum: 1, maximum: 1000 });
    const limit = doc.paths["/api/v1/plants/{plantId}"]?.get?.parameters?.find((p) => p.name === "limit");
    expect(limit?.schema).toMatchObject({ minimum: 1, maximum: 1000 });
  });

  it("documents the errors of every operation as problem documents with an example", async () => {
    const doc = await openapi();
    const missing: string[] = [];
    for (const [name, op] of operations(doc)) {
      const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
      if (errors.length === 0 && name !== "GET /health") missing.push(`${name} documents no error response`);
      for (const [status, response] of errors) {
        // /health answers its own status document, also when degraded.
        if (name === "GET /health") continue;
        const ref = response.content?.["application/problem+json"]?.schema?.$ref;
        if (ref !== "#/components/schemas/Problem") missing.push(`${name} ${status} is not a Problem`);
      }
      const params = op.parameters ?? [];
      if (params.length > 0 && !op.responses["400"]) missing.push(`${name} takes parameters but documents no 400`);
      if (op.security && !op.responses["401"]) missing.push(`${name} needs a token but documents no 401`);
    }
    expect(missing).toEqual([]);
    expect(doc.components.schemas.Problem?.example).toMatchObject({
      status: 400,
      detail: expect.stringContaining("e.g."),
    });
  });

  it("takes servers from configuration, never from a forged Host header", async () => {
    // The Worker sees the Host header as the request URL's host.
    const forged = await exports.default.fetch(
      new Request("http://evil.example/openapi.json", { headers: { "X-Forwarded-Host": "evil.example" } }),
    );
    const doc = (await forged.json()) as OpenApiDoc;
    expect(doc.servers).toEqual([{ url: "/" }]);
    expect(JSON.stringify(doc)).not.toContain("evil.example");
  });
});

describe("GET /docs", () => {
  it("is Swagger UI loading only same-origin assets, all of which are served", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    const refs = [...html.matchAll(/<(?:script|link|img)\b[^>]*\b(?:src|href)=["']([^"']+)["']/gi)].map(
      (m) => m[1] as string,
    );
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) expect(ref).toMatch(/^\/(?!\/)/);
    expect(html).not.toMatch(/https?:\/\//);
    for (const ref of refs) {
      const asset = await call(ref);
      expect(asset.status, ref).toBe(200);
      const type = asset.headers.get("content-type") ?? "";
      expect(type, ref).toMatch(ref.endsWith(".css") ? /^text\/css/ : /^text\/javascript/);
      const text = await asset.text();
      expect(text.length, ref).toBeGreaterThan(100);
    }
    const bundle = await (await call("/docs/assets/swagger-ui-bundle.js")).text();
    expect(bundle).toContain("SwaggerUIBundle");
    const init = await (await call("/docs/assets/docs.js")).text();
    expect(init).toContain('url: "/openapi.json"');
    expect(init).toContain('preauthorizeApiKey("Bearer"');
  });

  it("labels every sign-in field", async () => {
    const html = await (await call("/docs")).text();
    const inputs = [...html.matchAll(/<input\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(inputs.length).toBeGreaterThanOrEqual(2);
    for (const id of inputs) expect(html).toContain(`<label for="${id}">`);
  });

  it("404 problem for an asset it does not have", async () => {
    for (const name of ["nope.js", "constructor", "__proto__"]) {
      const res = await call(`/docs/assets/${name}`);
      expect(res.status, name).toBe(404);
    }
  });
});
