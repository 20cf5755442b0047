import { env, exports } from "cloudflare:workers";
import { SignJWT } from "jose";
import { expect } from "vitest";
import type { Role } from "../../../domain/roles";
import { fromBase64Url } from "../../../worker/auth/encoding";
import { createUser } from "../../../worker/auth/users";
import { refreshDatasetsPointer } from "../../../worker/publication/pointer";

/** A plant row to seed directly into D1 (as the ingest pipeline would write it). */
export interface SeedPlant {
  key?: string;
  name: string;
  state: string;
  net: number | null;
  generators?: number;
  unknown?: number;
  orispl?: number | null;
}

let ipCounter = 0;
/** A fresh client address, so the per-IP login limiter of one test does not leak into another. */
export function freshIp(): string {
  ipCounter += 1;
  return `198.51.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;
}

/** Calls the real worker entry. */
/**
 * Sends `attempt(0)`, `attempt(1)`, … until one is refused with 429, at most 2 × `limit` + 1
 * times, and returns every status (the refusal last) and the refused response. Miniflare's
 * rate-limit windows are aligned to the wall clock, so attempts that straddle a window boundary
 * get a fresh allowance: exactly `limit` pass unless that happens, and at most 2 × `limit`
 * whatever the timing. Check with expectLimitedAfter().
 */
export async function untilRefused(
  limit: number,
  attempt: (i: number) => Response | Promise<Response>,
): Promise<{ statuses: number[]; refused: Response | undefined }> {
  const statuses: number[] = [];
  for (let i = 0; i <= 2 * limit; i++) {
    const res = await attempt(i);
    statuses.push(res.status);
    if (res.status === 429) return { statuses, refused: res };
    await res.arrayBuffer();
  }
  return { statuses, refused: undefined };
}

/** Every attempt before the refusal answered `status`, and at least `limit` of them did. */
export function expectLimitedAfter(statuses: number[], limit: number, status: number): void {
  const refusedAt = statuses.indexOf(429);
  expect(refusedAt, `no 429 in ${statuses.join(",")}`).toBeGreaterThanOrEqual(limit);
  expect(statuses.slice(0, refusedAt)).toEqual(Array(refusedAt).fill(status));
}

export function call(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  return exports.default.fetch(new Request(`http://api.test${path}`, { ...init, headers }));
}

/** Signs in through POST /api/v1/auth/token and returns the access token. */
export async function login(email: string, password: string): Promise<string> {
  const res = await call("/api/v1/auth/token", {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The admin created from ADMIN_EMAIL / ADMIN_PASSWORD on first login. */
export function loginAdmin(): Promise<string> {
  return login(env.ADMIN_EMAIL, env.ADMIN_PASSWORD);
}

let userCounter = 0;
/** Creates a user of `role` in D1 and signs in as them. */
export async function userWithRole(
  role: Role,
): Promise<{ id: string; email: string; password: string; token: string }> {
  userCounter += 1;
  const email = `${role}-${userCounter}-${crypto.randomUUID().slice(0, 8)}@test.local`;
  const password = `pw-${crypto.randomUUID()}`;
  const user = await createUser(env.DB, { email, password, role });
  return { id: user.id, email, password, token: await login(email, password) };
}

/** The secret of a configured signing key (from the generated test secrets). */
export function signingSecret(kid: string): Uint8Array {
  const keys = JSON.parse(env.JWT_SIGNING_KEYS) as { kid: string; secret: string }[];
  const key = keys.find((k) => k.kid === kid);
  if (!key) throw new Error(`no key ${kid}`);
  return fromBase64Url(key.secret);
}

/** Signs an arbitrary token, for the auth attack tests. */
export function forgeToken(options: {
  sub: string;
  kid?: string;
  secret?: Uint8Array;
  iss?: string;
  aud?: string;
  exp?: number;
  nbf?: number;
}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ role: "admin" })
    .setProtectedHeader({ alg: "HS256", kid: options.kid ?? "test-new" })
    .setSubject(options.sub)
    .setIssuer(options.iss ?? "egrid-edge")
    .setAudience(options.aud ?? "egrid-edge-api")
    .setIssuedAt(now)
    .setExpirationTime(options.exp ?? now + 3600);
  if (options.nbf) jwt.setNotBefore(options.nbf);
  return jwt.sign(options.secret ?? signingSecret(options.kid ?? "test-new"));
}

/** Inserts a done ingestion with these plants and (optionally) publishes it for `year`. */
export async function seedDataset(
  ingestionId: string,
  year: number,
  plants: SeedPlant[],
  options: { publish?: boolean; key?: string } = {},
): Promise<void> {
  const now = Date.now();
  const statements = [
    env.DB.prepare(
      `INSERT INTO ingestions (id, bucket, object_key, etag, status, data_year, rows_read, rows_loaded, plant_count,
         queued_at, started_at, completed_at) VALUES (?1, 'egrid-uploads', ?2, 'etag', 'done', ?3, ?4, ?4, ?5, ?6, ?6, ?6)`,
    ).bind(ingestionId, options.key ?? `seed/${ingestionId}.csv`, year, plants.length, plants.length, now),
    ...plants.map((p) =>
      env.DB.prepare(
        `INSERT INTO plants (ingestion_id, plant_key, data_year, state, name, orispl, net_generation_mwh, generator_count,
           unknown_generator_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
      ).bind(
        ingestionId,
        p.key ?? `${p.state}:${p.name}`,
        year,
        p.state,
        p.name,
        p.orispl ?? null,
        p.net,
        p.generators ?? 1,
        p.unknown ?? (p.net === null ? 1 : 0),
      ),
    ),
  ];
  if (options.publish !== false) {
    statements.push(
      env.DB.prepare(
        `INSERT INTO datasets (data_year, ingestion_id, activated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (data_year) DO UPDATE SET ingestion_id = excluded.ingestion_id, activated_at = excluded.activated_at`,
      ).bind(year, ingestionId, now),
    );
  }
  await env.DB.batch(statements);
  // Like every path that changes `datasets`, refresh the edge version pointer.
  if (options.publish !== false) await refreshDatasetsPointer(env);
}

/** Reads a problem document, checking its media type and required members. */
export async function problem(res: Response): Promise<Record<string, unknown> & { detail: string; status: number }> {
  if (!res.headers.get("content-type")?.startsWith("application/problem+json")) {
    throw new Error(`expected problem+json, got ${res.headers.get("content-type")}: ${await res.text()}`);
  }
  const body = (await res.json()) as Record<string, unknown> & { detail: string; status: number };
  for (const member of ["type", "title", "status", "detail"]) {
    if (!(member in body)) throw new Error(`problem without ${member}: ${JSON.stringify(body)}`);
  }
  if (body.status !== res.status) throw new Error(`problem status ${body.status} != ${res.status}`);
  if (JSON.stringify(body).includes("    at ")) throw new Error("problem leaks a stack trace");
  return body;
}

/** Waits until the KV cache holds an API entry whose key contains `part` (written after the response). */
export async function waitForCacheKey(part: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { keys } = await env.CACHE.list({ prefix: "api:" });
    if (keys.some((k) => k.name.includes(part))) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no cache entry containing ${part}`);
}
