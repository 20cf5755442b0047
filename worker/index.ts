import { app } from "./api/app";
import { pruneAudit } from "./auth/audit";
import { importFromS3, isS3ImportConfigured } from "./imports/s3-import";
import { handleQueue } from "./ingest/consumer";
import { reconcile } from "./ingest/reconcile";

// The entry only wires: HTTP API, ingest queue consumer (and its dead-letter queue), and the
// cron: the reconciler, the audit-trail retention, plus the S3 import when one is configured.
export default {
  fetch: app.fetch,
  queue: (batch, env) => handleQueue(batch, env),
  scheduled: async (_controller, env, ctx) => {
    ctx.waitUntil(reconcile(env));
    ctx.waitUntil(
      pruneAudit(env.DB).catch((error) =>
        console.error(JSON.stringify({ event: "audit-prune-failed", message: String(error) })),
      ),
    );
    if (isS3ImportConfigured(env)) ctx.waitUntil(importFromS3(env, { trigger: "schedule" }));
  },
} satisfies ExportedHandler<Env>;
