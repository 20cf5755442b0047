/**
 * Pages Function: forwards every /api/* request, unchanged (method, headers, body, query), to the
 * API Worker through the `API` service binding (web/wrangler.toml). Service bindings are
 * in-process calls on Cloudflare's network: no public hop, and the browser stays same-origin.
 * health.ts, openapi.json.ts and docs.ts re-export this handler for those paths.
 */
interface ProxyEnv {
  API?: { fetch(request: Request): Promise<Response> };
}

export async function onRequest(context: { request: Request; env: ProxyEnv }): Promise<Response> {
  const api = context.env.API;
  if (!api) {
    return Response.json(
      {
        type: "about:blank",
        title: "API not bound",
        status: 502,
        detail: "This Pages project has no API service binding; check web/wrangler.toml [[services]].",
      },
      { status: 502, headers: { "content-type": "application/problem+json" } },
    );
  }
  return api.fetch(context.request);
}
