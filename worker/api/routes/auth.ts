import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { DECOY_HASH, verifyPassword } from "../../auth/password";
import { accountBlockedFor, clearFailures, clientNetwork, recordFailure } from "../../auth/throttle";
import { parseSigningKeys, signAccessToken, TOKEN_TTL_SECONDS } from "../../auth/tokens";
import { ensureFirstAdmin, findUserByEmail, normaliseEmail } from "../../auth/users";
import { enforceRateLimit } from "../middleware/rate-limit";
import { ProblemError } from "../problem";
import { CredentialsSchema, TokenSchema } from "../schemas/auth";
import { jsonResponse, problemResponses } from "../schemas/common";
import type { AppEnv } from "../types";
import { validationHook } from "../validation";
import { audit } from "./audit";

const tokenRoute = createRoute({
  method: "post",
  path: "/auth/token",
  summary: "Exchange email and password for a one-hour access token",
  request: { body: { required: true, content: { "application/json": { schema: CredentialsSchema } } } },
  responses: {
    200: jsonResponse(TokenSchema, "Access token"),
    ...problemResponses(400, 401, 415, 429),
  },
});

let firstAdminChecked = false;

/**
 * POST /auth/token: limited per client network (LOGIN_LIMITER) and per account (a doubling
 * block after repeated failures, worker/auth/throttle.ts); every failure looks the same.
 */
export const authRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

authRoutes.openapi(tokenRoute, async (c) => {
  const network = clientNetwork(c.req.raw.headers);
  // No address (local use without Cloudflare in front): no shared bucket that one noisy client
  // could fill for everyone; the per-account limit below still holds.
  if (network) await enforceRateLimit(c.env.LOGIN_LIMITER, `login:${network}`, "too many sign-in attempts");
  if (!firstAdminChecked) {
    await ensureFirstAdmin(c.env);
    firstAdminChecked = true;
  }
  const { email, password } = c.req.valid("json");
  const wait = await accountBlockedFor(c.env.DB, email);
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000);
    throw new ProblemError(
      429,
      "rate-limited",
      "Too many requests",
      `too many failed sign-ins for this account; retry after ${seconds} seconds`,
      {},
      { "Retry-After": String(seconds) },
    );
  }
  const user = await findUserByEmail(c.env.DB, email);
  // Unknown emails still pay for one PBKDF2 run, so timing does not reveal which emails exist.
  const ok = await verifyPassword(password, user ?? DECOY_HASH);
  if (!user || !ok) {
    await recordFailure(c.env.DB, email);
    await audit(
      c,
      "auth.login-failed",
      null,
      { reason: user ? "wrong password" : "unknown email" },
      { id: user?.id ?? null, email: normaliseEmail(email) },
    );
    throw new ProblemError(401, "invalid-credentials", "Invalid credentials", "email or password is incorrect");
  }
  await clearFailures(c.env.DB, email);
  const token = await signAccessToken(parseSigningKeys(c.env.JWT_SIGNING_KEYS), user);
  c.set("user", { id: user.id, email: user.email, role: user.role });
  await audit(c, "auth.login", user.id);
  return c.json({ access_token: token, token_type: "Bearer" as const, expires_in: TOKEN_TTL_SECONDS }, 200, {
    "Cache-Control": "no-store",
  });
});
