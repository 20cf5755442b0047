/**
 * Pages Function: forwards every /api/* request, unchanged (method, headers, body, query), to the
 * API Worker through the `API` service binding (web/wrangler.toml). Service bindings are
 * in-process calls on Cloudflare's network: no public hop, and the browser stays same-origin.
 * health.ts, openapi.json.ts and docs.ts re-export this handler for those paths.
 */
interface ProxyEnv {
  API?: { fetch(request: Request): Promise<Response> };
}

/**
 * Pauses before retrying a read whose binding call threw ("Network connection lost" while the
 * Worker is being redeployed, or reloaded by `wrangler dev`). Reads only: they are idempotent and
 * have no body to replay; a write that fails is reported, never repeated.
 */
const READ_RETRY_DELAYS_MS = [250, 1000];

export async function onRequest(context: { request: Request; env: ProxyEnv }): Promise<Response> {
  const api = context.env.API;
  if (!api)
    return problem(
      502,
      "API not bound",
      "This Pages project has no API service binding; check web/wrangler.toml [[services]].",
    );
  const { request } = context;
  const isRead = request.method === "GET" || request.method === "HEAD";
  const delays = isRead ? READ_RETRY_DELAYS_MS : [];
  for (let attempt = 0; ; attempt++) {
    try {
      return await api.fetch(isRead ? request.clone() : request);
    } catch (error) {
      const delay = delays[attempt];
      if (delay === undefined) {
        console.error(
          JSON.stringify({ at: new Date().toISOString(), proxy: "api", method: request.method, error: String(error) }),
        );
        return problem(502, "API unavailable", "The API did not answer. Try again in a moment.");
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** RFC 9457 problem document, the same shape the API uses for its own errors. */
function problem(status: number, title: string, detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, detail }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}
