import { app } from "./api/app";
import { handleQueue } from "./ingest/consumer";
import { reconcile } from "./ingest/reconcile";

// The entry only wires: HTTP API, ingest queue consumer (and its dead-letter queue), reconciler.
export default {
  fetch: app.fetch,
  queue: (batch, env) => handleQueue(batch, env),
  scheduled: async (_controller, env, ctx) => {
    ctx.waitUntil(reconcile(env));
  },
} satisfies ExportedHandler<Env>;
