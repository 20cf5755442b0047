import { beforeAll, describe, expect, it } from "vitest";
import { INGESTION_STATUSES } from "../../../domain/ingestions";
import { call, freshIp, loginAdmin, problem, seedDataset } from "./helpers";

let token: string;
beforeAll(async () => {
  await seedDataset("ing-validation-2023", 2023, [{ name: "Desert Sun", state: "AZ", net: 4000 }]);
  token = await loginAdmin();
});

const long = (n: number) => "x".repeat(n);
const json = (body: unknown): RequestInit => ({
  body: JSON.stringify(body),
  headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
});

// [method, path, body or none, bad parameter, exact detail]: every parameter of every route that
// validates, each with a value its rule refuses. The message names the parameter, the rule, the
// value sent and a valid example.
const CASES: [string, string, RequestInit | null, string, string][] = [
  ["GET", "/api/v1/plants/top?n=abc", null, "n", 'n must be a whole number from 1 to 1000 (got "abc"), e.g. n=10'],
  ["GET", "/api/v1/plants/top?n=0", null, "n", 'n must be a whole number from 1 to 1000 (got "0"), e.g. n=10'],
  [
    "GET",
    "/api/v1/plants/top?offset=1.5",
    null,
    "offset",
    'offset must be a whole number from 0 to 100000 (got "1.5"), e.g. offset=0',
  ],
  [
    "GET",
    "/api/v1/plants/top?year=99999",
    null,
    "year",
    'year must be a whole number from 1990 to 2100 (got "99999"), e.g. year=2023',
  ],
  [
    "GET",
    "/api/v1/plants/top?format=pdf",
    null,
    "format",
    'format must be one of "json", "csv" (got "pdf"), e.g. format=csv',
  ],
  [
    "GET",
    `/api/v1/plants/top?state=${long(65)}`,
    null,
    "state",
    `state must be text of at most 64 characters (got "${long(56)}..."), e.g. state=TX`,
  ],
  [
    "GET",
    "/api/v1/plants/6008?limit=5000",
    null,
    "limit",
    'limit must be a whole number from 1 to 1000 (got "5000"), e.g. limit=100',
  ],
  [
    "GET",
    "/api/v1/plants/6008?year=x",
    null,
    "year",
    'year must be a whole number from 1990 to 2100 (got "x"), e.g. year=2023',
  ],
  [
    "GET",
    `/api/v1/plants/6008?cursor=${long(1025)}`,
    null,
    "cursor",
    `cursor must be text of 1 to 1024 characters (got "${long(56)}...")`,
  ],
  [
    "GET",
    `/api/v1/plants/${long(301)}`,
    null,
    "plantId",
    `plantId must be text of 1 to 300 characters (got "${long(56)}..."), e.g. plantId=AZ:Palo Verde`,
  ],
  [
    "GET",
    "/api/v1/states?year=1989",
    null,
    "year",
    'year must be a whole number from 1990 to 2100 (got "1989"), e.g. year=2023',
  ],
  [
    "GET",
    "/api/v1/ingestions?limit=201",
    null,
    "limit",
    'limit must be a whole number from 1 to 200 (got "201"), e.g. limit=50',
  ],
  [
    "GET",
    "/api/v1/ingestions?status=lost",
    null,
    "status",
    `status must be one of ${INGESTION_STATUSES.map((s) => `"${s}"`).join(", ")} (got "lost"), e.g. status=done`,
  ],
  [
    "GET",
    `/api/v1/ingestions/${long(65)}`,
    null,
    "id",
    `id must be text of 1 to 64 characters (got "${long(56)}..."), e.g. id=3a7bd3e2360a3d29eea436fc`,
  ],
  [
    "POST",
    `/api/v1/uploads?filename=${long(201)}`,
    null,
    "filename",
    `filename must be text of at most 200 characters (got "${long(56)}..."), e.g. filename=egrid2023_gen23.csv`,
  ],
  [
    "POST",
    "/api/v1/auth/token",
    json({ email: "a", password: "x" }),
    "email",
    'email must be text of 3 to 254 characters (got "a"), e.g. email=analyst@example.com',
  ],
  [
    "POST",
    "/api/v1/auth/token",
    json({ email: "analyst@example.com" }),
    "password",
    "password is required: text of 1 to 1024 characters",
  ],
  [
    "POST",
    "/api/v1/users",
    json({ email: "nope", password: long(12), role: "analyst" }),
    "email",
    'email must be an email address of at most 254 characters (got "nope"), e.g. email=analyst@example.com',
  ],
  [
    "POST",
    "/api/v1/users",
    json({ email: "a@b.org", password: long(12), role: "boss" }),
    "role",
    'role must be one of "analyst", "owner", "admin" (got "boss"), e.g. role=analyst',
  ],
  [
    "PATCH",
    "/api/v1/users/some-id",
    json({ role: 7 }),
    "role",
    'role must be one of "analyst", "owner", "admin" (got 7), e.g. role=analyst',
  ],
  [
    "DELETE",
    `/api/v1/users/${long(65)}`,
    null,
    "id",
    `id must be text of 1 to 64 characters (got "${long(56)}..."), e.g. id=3f0c1a9e-5b7d-4c2e-9a61-0d8e2b4f7c15`,
  ],
];

describe("validation problems name the parameter, the rule, the value and an example", () => {
  it.each(CASES)("%s %s -> %s", async (method, path, init, name, detail) => {
    const res = await call(path, { method, token, ...(init ?? {}) });
    expect(res.status, await res.clone().text()).toBe(400);
    const body = await problem(res);
    expect(body.detail).toBe(detail);
    expect(body.errors).toEqual([expect.objectContaining({ name, detail })]);
    expect(body.detail).not.toMatch(/Invalid input|expected .* received|Too (big|small)/);
  });

  it("joins several bad parameters, each with its own rule", async () => {
    const body = await problem(await call("/api/v1/plants/top?n=0&format=x", { token }));
    expect(body.detail).toBe(
      'n must be a whole number from 1 to 1000 (got "0"), e.g. n=10; format must be one of "json", "csv" (got "x"), e.g. format=csv',
    );
  });
});
