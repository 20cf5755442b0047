import { env, exports } from "cloudflare:workers";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { USER_CACHE_MS } from "../../../worker/auth/users";
import {
  expectLimitedAfter,
  forgeToken,
  freshIp,
  loginAdmin,
  signingSecret,
  untilRefused,
  userWithRole,
} from "../api/helpers";
import { genCsv } from "../helpers/gen-csv";
import { ingestCsv } from "../helpers/ingest";

// Attacks on the API through the real worker entry (exports.default.fetch) with real D1/KV/R2.
// Every response with status >= 400 is kept and, at the end, scanned for internals.

const errorResponses: Array<{ what: string; status: number; body: string }> = [];

async function send(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  const res = await exports.default.fetch(new Request(`http://api.test${path}`, { ...init, headers }));
  if (res.status >= 400) {
    errorResponses.push({
      what: `${init.method ?? "GET"} ${path}`,
      status: res.status,
      body: await res.clone().text(),
    });
  }
  return res;
}

function b64url(value: string | Uint8Array): string {
  const bytes = typeof value === "string" ? new TextEncoder().encode(value) : value;
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

const claims = (sub: string, extra: Record<string, unknown> = {}) => ({
  sub,
  iss: "egrid-edge",
  aud: "egrid-edge-api",
  iat: Math.floor(Date.now() / 1000),
  exp: Math.floor(Date.now() / 1000) + 600,
  ...extra,
});

async function hmac(data: string, secret: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey("raw", Uint8Array.from(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return b64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(data))));
}

/** A compact JWS with any header, signed with HMAC-SHA256 over `secret` (for crafted headers). */
async function craft(header: Record<string, unknown>, payload: Record<string, unknown>, secret: Uint8Array) {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${await hmac(input, secret)}`;
}

async function expect401(token: string) {
  const res = await send("/api/v1/years", { token });
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  return res;
}

let analyst: { id: string; email: string; token: string };
let admin: string;
beforeAll(async () => {
  analyst = await userWithRole("analyst");
  admin = await loginAdmin();
});

describe("JWT attacks: 401, never a 500, never accepted", () => {
  it("alg none, with and without a signature, any casing", async () => {
    const payload = b64url(JSON.stringify(claims(analyst.id)));
    for (const alg of ["none", "None", "NONE", "nOnE"]) {
      const header = b64url(JSON.stringify({ alg, typ: "JWT", kid: "test-new" }));
      await expect401(`${header}.${payload}.`);
      await expect401(`${header}.${payload}.${b64url("sig")}`);
    }
  });

  it("RS/HS confusion: a real RS256 token, and HS256 keyed with an RSA public key, are refused", async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
    const rs256 = await new SignJWT({ role: "admin" })
      .setProtectedHeader({ alg: "RS256", kid: "test-new" })
      .setSubject(analyst.id)
      .setIssuer("egrid-edge")
      .setAudience("egrid-edge-api")
      .setExpirationTime("10m")
      .sign(privateKey);
    expect((await (await expect401(rs256)).json()) as { detail: string }).toMatchObject({
      detail: expect.stringMatching(/algorithm/),
    });
    // The classic confusion: the attacker's public key (PEM text) used as the HMAC secret.
    const pem = new TextEncoder().encode(await exportSPKI(publicKey));
    await expect401(await craft({ alg: "HS256", kid: "test-new" }, claims(analyst.id), pem));
    // The server's HMAC secret presented as an RS256 signature, and as the base64url text instead of its bytes.
    const input = `${b64url(JSON.stringify({ alg: "RS256", kid: "test-new" }))}.${b64url(JSON.stringify(claims(analyst.id)))}`;
    await expect401(`${input}.${await hmac(input, signingSecret("test-new"))}`);
    const keys = JSON.parse(env.JWT_SIGNING_KEYS) as { kid: string; secret: string }[];
    const asText = new TextEncoder().encode(keys[0]?.secret);
    await expect401(await craft({ alg: "HS256", kid: "test-new" }, claims(analyst.id), asText));
    // Other HMAC strengths with the right key are still another algorithm.
    for (const alg of ["HS384", "HS512"]) {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg, kid: "test-new" })
        .setSubject(analyst.id)
        .setIssuer("egrid-edge")
        .setAudience("egrid-edge-api")
        .setExpirationTime("10m")
        .sign(signingSecret("test-new"));
      await expect401(token);
    }
  });

  it("embedded keys (jwk, jku, x5u) and hostile key ids are never trusted", async () => {
    const attacker = crypto.getRandomValues(new Uint8Array(32));
    const jwk = { kty: "oct", k: b64url(attacker) };
    await expect401(await craft({ alg: "HS256", jwk }, claims(analyst.id), attacker));
    await expect401(
      await craft({ alg: "HS256", kid: "test-new", jku: "https://evil.example/jwks" }, claims(analyst.id), attacker),
    );
    await expect401(await craft({ alg: "HS256", x5u: "https://evil.example/cert" }, claims(analyst.id), attacker));
    for (const kid of ["../../dev/null", "test-new' OR '1'='1", "", "TEST-NEW", "test-new\u0000", 1, null]) {
      await expect401(await craft({ alg: "HS256", kid }, claims(analyst.id), attacker));
    }
    // An unknown critical header extension must be rejected even with the right key (RFC 7515 4.1.11).
    await expect401(
      await craft(
        { alg: "HS256", kid: "test-new", crit: ["exp-x"], "exp-x": 1 },
        claims(analyst.id),
        signingSecret("test-new"),
      ),
    );
  });

  it("wrong key id, expired, not yet valid, wrong audience: all refused", async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect401(await forgeToken({ sub: analyst.id, kid: "retired", secret: signingSecret("test-new") }));
    await expect401(await forgeToken({ sub: analyst.id, exp: now - 31 }));
    await expect401(await forgeToken({ sub: analyst.id, nbf: now + 120 }));
    await expect401(await forgeToken({ sub: analyst.id, aud: "egrid-edge-api-other" }));
  });

  // Regression (was finding F4): a signed token without exp never expired.
  it("a correctly signed token without exp is refused (exp is required)", async () => {
    const noExp = await craft(
      { alg: "HS256", kid: "test-new" },
      { ...claims(analyst.id), exp: undefined },
      signingSecret("test-new"),
    );
    await expect401(noExp);
  });

  it("tampered payload: role escalation or another subject with the original signature", async () => {
    const [header, , signature] = analyst.token.split(".");
    const adminId = (await env.DB.prepare("SELECT id FROM users WHERE role = 'admin' LIMIT 1").first<string>(
      "id",
    )) as string;
    for (const payload of [
      claims(analyst.id, { role: "admin" }),
      claims(adminId),
      claims(analyst.id, { exp: 9_999_999_999 }),
    ]) {
      await expect401(`${header}.${b64url(JSON.stringify(payload))}.${signature}`);
    }
    // Signature bit flips and truncation.
    await expect401(`${header}.${analyst.token.split(".")[1]}.${(signature ?? "").slice(0, -2)}AA`);
    await expect401(`${header}.${analyst.token.split(".")[1]}`);
  });

  it("a correctly signed token claiming role admin gives only the role stored in D1", async () => {
    const token = await forgeToken({ sub: analyst.id }); // its payload says role: admin
    expect((await send("/api/v1/years", { token })).status).toBe(200);
    expect((await send("/api/v1/users", { token })).status).toBe(403);
    expect((await send("/api/v1/ingestions", { token })).status).toBe(403);
  });

  it("a token of a deleted user, or a demoted admin: refused at once in this isolate (others within USER_CACHE_MS)", async () => {
    expect(USER_CACHE_MS).toBe(30_000);
    const doomed = await userWithRole("analyst");
    expect((await send("/api/v1/years", { token: doomed.token })).status).toBe(200);
    expect((await send(`/api/v1/users/${doomed.id}`, { method: "DELETE", token: admin })).status).toBe(204);
    expect((await send("/api/v1/years", { token: doomed.token })).status).toBe(401);

    const second = await userWithRole("admin");
    expect((await send("/api/v1/users", { token: second.token })).status).toBe(200);
    const demote = await send(`/api/v1/users/${second.id}`, {
      method: "PATCH",
      token: admin,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ role: "analyst" }),
    });
    expect(demote.status).toBe(200);
    const tryCreate = await send("/api/v1/users", {
      method: "POST",
      token: second.token,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: "sneaky@test.local", password: "a long enough password", role: "admin" }),
    });
    expect(tryCreate.status).toBe(403);
  });

  it("oversized or garbage Authorization headers are 401, not 500", async () => {
    await expect401("a".repeat(20_000));
    await expect401(`${"a".repeat(5000)}.${"b".repeat(5000)}.${"c".repeat(5000)}`);
    await expect401("....");
    const garbage = await send("/api/v1/years", { headers: { Authorization: "Bearer \u00ff\u00fe" } });
    expect(garbage.status).toBe(401);
  });
});

const SQL = [
  "' OR '1'='1",
  "1; DROP TABLE plants;--",
  "Robert'); DROP TABLE plants;--",
  '" OR ""="',
  "1 UNION SELECT password_hash FROM users--",
  "%27%20OR%201%3D1",
  "\\'; --",
  "TX' --",
];

async function tablesIntact() {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('plants','users','generators','datasets','ingestions') ORDER BY name",
  ).all<{ name: string }>();
  expect(results.map((r) => r.name)).toEqual(["datasets", "generators", "ingestions", "plants", "users"]);
}

describe("injection: SQL metacharacters are data, never SQL", () => {
  const NASTY = [
    "Robert'); DROP TABLE plants;--",
    "<script>alert(1)</script>",
    `"; DELETE FROM users; --`,
    "=1+1 ' OR 1=1 --",
  ];
  let ingestionId: string;

  beforeAll(async () => {
    const rows = NASTY.map((name, i) => `${i + 1},2012,TX,"${name.replaceAll('"', '""')}",G1,${(i + 1) * 100}`);
    const record = await ingestCsv(genCsv(rows), "injection-2012.csv");
    expect(record).toMatchObject({ status: "done", rows_loaded: 4 });
    ingestionId = record.id;
  });

  it("plant names with SQL and HTML are stored and served verbatim (JSON and CSV), tables intact", async () => {
    const res = await send("/api/v1/plants/top?year=2012&n=10", { token: analyst.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as { data: { name: string; plantId: string }[]; meta: { datasetVersion: string } };
    expect(body.meta.datasetVersion).toBe(ingestionId);
    expect(body.data.map((p) => p.name).sort()).toEqual([...NASTY].sort());
    const csv = await send("/api/v1/plants/top?year=2012&n=10&format=csv", { token: analyst.token });
    const text = await csv.text();
    expect(text).toContain("Robert'); DROP TABLE plants;--");
    expect(text).toContain("<script>alert(1)</script>");
    expect(text).toContain(`"""; DELETE FROM users; --"`);
    for (const plant of body.data) {
      const detail = await send(`/api/v1/plants/${encodeURIComponent(plant.plantId)}?year=2012`, {
        token: analyst.token,
      });
      expect(detail.status, plant.plantId).toBe(200);
      expect(((await detail.json()) as { data: { name: string } }).data.name).toBe(plant.name);
    }
    await tablesIntact();
    expect(await env.DB.prepare("SELECT count(*) AS n FROM users").first("n")).toBeGreaterThan(1);
  });

  it("every query and path parameter: 400/404 problems or verbatim data, never a 500, tables intact", async () => {
    const paths = (v: string) => {
      const q = encodeURIComponent(v);
      return [
        `/api/v1/plants/top?state=${q}`,
        `/api/v1/plants/top?n=${q}`,
        `/api/v1/plants/top?year=${q}`,
        `/api/v1/plants/top?offset=${q}`,
        `/api/v1/plants/top?format=${q}`,
        `/api/v1/plants/top?year=2012&n=1&${q}=${q}`,
        `/api/v1/states?year=${q}`,
        `/api/v1/years?year=${q}`,
        `/api/v1/plants/${q}`,
        `/api/v1/plants/${q}?year=${q}`,
        `/api/v1/plants/TX%3A${q}?year=2012`,
        `/api/v1/ingestions?status=${q}`,
        `/api/v1/ingestions?limit=${q}`,
        `/api/v1/ingestions/${q}`,
        `/api/v1/users/${q}`,
      ];
    };
    for (const value of SQL) {
      for (const path of paths(value)) {
        const res = await send(path, { token: admin });
        expect([200, 400, 404], `${path} -> ${res.status}`).toContain(res.status);
        if (res.status >= 400) expect(res.headers.get("content-type"), path).toMatch(/^application\/problem\+json/);
      }
      for (const method of ["PATCH", "DELETE"]) {
        const res = await send(`/api/v1/users/${encodeURIComponent(value)}`, {
          method,
          token: admin,
          headers: { "Content-Type": "application/json" },
          body: method === "PATCH" ? JSON.stringify({ role: value }) : undefined,
        });
        expect([400, 404], `${method} ${value}`).toContain(res.status);
      }
      const login = await send("/api/v1/auth/token", {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
        body: JSON.stringify({ email: `${value}@x.y`, password: value }),
      });
      expect([400, 401]).toContain(login.status);
    }
    await tablesIntact();
    const top = await send("/api/v1/plants/top?year=2012&n=10", { token: analyst.token });
    expect(((await top.json()) as { data: unknown[] }).data).toHaveLength(4);
  });

  it("a user created with an SQL-looking email is stored verbatim and can sign in", async () => {
    const email = "o'brien+drop--@test.local";
    const created = await send("/api/v1/users", {
      method: "POST",
      token: admin,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email, password: "x'); DROP TABLE users;--", role: "analyst" }),
    });
    expect(created.status).toBe(201);
    const res = await send("/api/v1/auth/token", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
      body: JSON.stringify({ email, password: "x'); DROP TABLE users;--" }),
    });
    expect(res.status).toBe(200);
    await tablesIntact();
  });
});

describe("abuse: brute force, bodies, uploads", () => {
  it("login brute force over many emails from one address is throttled: 429 with Retry-After", async () => {
    const ip = freshIp();
    const { statuses, refused } = await untilRefused(10, (i) =>
      send("/api/v1/auth/token", {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
        body: JSON.stringify({ email: `victim${i}@test.local`, password: "123456" }),
      }),
    );
    expectLimitedAfter(statuses, 10, 401);
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);
    const again = await send("/api/v1/auth/token", {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
      body: JSON.stringify({ email: "victim-last@test.local", password: "123456" }),
    });
    expect(again.status).toBe(429);
  });

  it("oversized JSON bodies are 413, malformed ones 400, on every JSON endpoint", async () => {
    const big = JSON.stringify({ email: "a@b.c", password: "x".repeat(64 * 1024), role: "analyst" });
    const json = { "Content-Type": "application/json" };
    const endpoints: Array<[string, string, string | undefined]> = [
      ["POST", "/api/v1/auth/token", undefined],
      ["POST", "/api/v1/users", admin],
      ["PATCH", `/api/v1/users/${analyst.id}`, admin],
    ];
    for (const [method, path, token] of endpoints) {
      const headers = { ...json, "CF-Connecting-IP": freshIp() };
      expect((await send(path, { method, token, headers, body: big })).status, `${method} ${path} big`).toBe(413);
      for (const body of ["{nope", "[]", "null", '{"role":', "\u0000", JSON.stringify({ role: { $gt: "" } })]) {
        const res = await send(path, { method, token, headers: { ...json, "CF-Connecting-IP": freshIp() }, body });
        expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      }
    }
  });

  it("uploads: non-CSV content types 415, an HTML page or script labelled text/csv 415, never stored", async () => {
    const owner = await userWithRole("owner");
    const before = (await env.UPLOADS.list({ prefix: "uploads/" })).objects.length;
    const cases: Array<[string, BodyInit]> = [
      ["application/octet-stream", new Uint8Array([1, 2, 3])],
      ["image/png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
      ["text/html", "<html><script>alert(1)</script></html>"],
      ["multipart/form-data; boundary=x", "--x\r\n\r\na,b\r\n--x--"],
      ["text/csv", new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0])],
    ];
    for (const [type, body] of cases) {
      const res = await send("/api/v1/uploads", {
        method: "POST",
        token: owner.token,
        headers: { "Content-Type": type },
        body,
      });
      expect(res.status, type).toBe(415);
    }
    expect((await env.UPLOADS.list({ prefix: "uploads/" })).objects.length).toBe(before);
  });

  it("uploads: hostile file names give a 400 or a safe key under uploads/, never a 500", async () => {
    const owner = await userWithRole("owner");
    const csv = "SEQGEN14,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\r\n1,2014,TX,A,G1,1\r\n";
    const long = await send(`/api/v1/uploads?filename=${"a".repeat(5000)}.csv`, {
      method: "POST",
      token: owner.token,
      headers: { "Content-Type": "text/csv" },
      body: csv,
    });
    expect(long.status).toBe(400);
    for (const name of [
      "../../../etc/passwd.csv",
      "..%2F..%2Fx.csv",
      "énergie 電力 ⚡.csv",
      "a\u0000b.csv",
      "'; DROP TABLE ingestions;--.csv",
    ]) {
      const res = await send(`/api/v1/uploads?filename=${encodeURIComponent(name)}`, {
        method: "POST",
        token: owner.token,
        headers: { "Content-Type": "text/csv" },
        body: csv,
      });
      expect(res.status, name).toBe(202);
      const { objectKey } = (await res.json()) as { objectKey: string };
      expect(objectKey, name).toMatch(/^uploads\/\d{4}-\d{2}-\d{2}\/[0-9a-f-]{36}-[A-Za-z0-9._-]*\.csv$/);
      expect(objectKey).not.toContain("..");
    }
    await tablesIntact();
  });

  it("uploads: a streamed body without Content-Length is refused (411) before anything is stored", async () => {
    const owner = await userWithRole("owner");
    const before = (await env.UPLOADS.list({ prefix: "uploads/" })).objects.length;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("SEQGEN23,YEAR,PSTATEABB,PNAME,GENID,GENNTAN\n"));
        controller.close();
      },
    });
    const res = await send("/api/v1/uploads", {
      method: "POST",
      token: owner.token,
      headers: { "Content-Type": "text/csv" },
      body,
    });
    expect(res.status).toBe(411);
    expect((await env.UPLOADS.list({ prefix: "uploads/" })).objects.length).toBe(before);
  });
});

describe("no internals in error responses", () => {
  it("every 4xx/5xx body provoked above is free of stacks, file paths and SQL (runs last)", () => {
    // Bodies may quote the client's own input back (e.g. "unknown state code ..."): remove it first.
    const echoed = (body: string) =>
      SQL.reduce((text, value) => text.replaceAll(JSON.stringify(value).slice(1, -1), "").replaceAll(value, ""), body);
    const internals =
      /\bat [\w.<>$]+ \(|\.ts:\d+|\.js:\d+|Error: |SQLITE|D1_ERROR|no such table|SELECT .* FROM|INSERT INTO|stack/i;
    expect(internals.test("Error: boom\n    at handler (worker/api/app.ts:12:3)")).toBe(true); // the scan has teeth
    expect(internals.test("D1_ERROR: no such column: x")).toBe(true);
    const leaks = errorResponses.filter(({ body }) => internals.test(echoed(body)));
    expect(errorResponses.length).toBeGreaterThan(100);
    expect(leaks).toEqual([]);
    expect(errorResponses.every((r) => r.body === "" || r.body.startsWith("{"))).toBe(true);
  });
});
