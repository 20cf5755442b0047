// Helpers of the browser test (test/e2e/web.test.ts): the stack's readiness, direct API calls,
// and MWh comparisons against the independent papaparse ranking.
import { expect } from "vitest";
import type { ExpectedPlant } from "./expected-plants";

export /**
 * Waits until the Pages site reaches the API through its service binding (GET /health via the
 * proxy). `wrangler pages dev` can answer static files before the dev registry has connected the
 * binding to the API worker; the page is only usable after that.
 */
async function proxyReady(webUrl: string) {
  let last = "no answer";
  for (let i = 0; i < 240; i++) {
    try {
      const response = await fetch(`${webUrl}/health`, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
      last = `${response.status} ${(await response.text()).slice(0, 200)}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the Pages proxy never reached the API (${webUrl}/health): ${last}`);
}

/** JSON call to the API through the Pages proxy; throws with the problem detail on failure. */
export async function api<T = unknown>(webUrl: string, path: string, token?: string, body?: object): Promise<T> {
  const response = await fetch(`${webUrl}${path}`, {
    method: body ? "POST" : "GET",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${path} -> ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export function expectMwh(actual: number[], expected: ExpectedPlant[]) {
  expect(actual).toHaveLength(expected.length);
  for (const [i, v] of actual.entries()) expect(v).toBeCloseTo(expected[i]?.netGenerationMwh ?? Number.NaN, 3);
}
