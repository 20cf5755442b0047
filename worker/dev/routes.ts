import { Hono } from "hono";

/** Local-development routes (enabled by DEV_ROUTES=true in .dev.vars); 404 everywhere else. */
export const devRoutes = new Hono<{ Bindings: Env }>();
devRoutes.use("*", async (c, next) => {
  if (c.env.DEV_ROUTES !== "true") return c.notFound();
  await next();
});
