# The whole app (`npm start`: API Worker, queue consumer, cron and the page on Miniflare) in
# Node 22, for people who prefer Docker. Used by `docker compose --profile app up`.
FROM node:22-bookworm-slim

WORKDIR /app
ENV CI=true \
    WRANGLER_SEND_METRICS=false \
    WRANGLER_SEND_ERROR_REPORTS=false

# Dependencies first so source edits reuse this layer. `npm install`, not `npm ci`, as
# scripts/bootstrap.mjs explains: the lock may omit other platforms' optional binaries.
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund --loglevel=error

COPY . .

# Local D1/KV/R2/queue state; .dev.vars (generated secrets, admin login) is kept there too, so
# recreating the container keeps logins working against the persisted users table.
VOLUME ["/app/.wrangler"]
EXPOSE 8787 8788

CMD ["sh", "-ec", "mkdir -p .wrangler && node --input-type=module -e \"await (await import('./scripts/lib/dev-vars.ts')).ensureDevVars('.wrangler/.dev.vars')\" && ln -sf .wrangler/.dev.vars .dev.vars && exec npm start"]
