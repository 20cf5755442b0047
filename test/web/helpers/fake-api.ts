// A stand-in for the API in happy-dom component tests: answers fetch() from a table of handlers
// and records every call, so a test can check both what the page shows and what it asked for.
import { vi } from "vitest";

export interface Call {
  method: string;
  url: URL;
  body: unknown;
}

export type Answer = { status?: number; body: unknown } | undefined;
/** Answers a call; a promise holds the response back until it settles (a slow API). */
export type Handler = (call: Call) => Answer | Promise<Answer>;

/** Installs a fetch that answers from `handle` (404 problem when it returns undefined). */
export function fakeApi(handle: Handler): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal("fetch", async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, "http://localhost");
    const body = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
    const call = { method: init.method ?? "GET", url, body };
    calls.push(call);
    const answer = (await handle(call)) ?? {
      status: 404,
      body: { type: "about:blank", title: "Not Found", status: 404, detail: `No route ${url.pathname}` },
    };
    const status = answer.status ?? 200;
    return new Response(JSON.stringify(answer.body), {
      status,
      headers: { "content-type": status < 400 ? "application/json" : "application/problem+json" },
    });
  });
  return calls;
}

/** A problem document (RFC 9457) answer. */
export function problem(status: number, title: string, detail: string) {
  return { status, body: { type: "about:blank", title, status, detail } };
}

/** A session as the page stores it; `role` decides owner views. */
export function storedSession(role: "analyst" | "owner" | "admin" = "owner") {
  return { token: "t", email: `${role}@example.com`, role, expiresAt: Date.now() + 3_600_000 };
}
