import { Hono } from "hono";
import { devRoutes } from "../dev/routes";

// Placeholder until the API issue lands: the API app, mounted by worker/index.ts.
export const app = new Hono<{ Bindings: Env }>();
app.get("/health", (c) => c.json({ status: "ok" }));
app.route("/__dev", devRoutes);
