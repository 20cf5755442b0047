import { createMiddleware } from "hono/factory";
import { ROLES, type Role } from "../../../domain/roles";
import { API_KEY_PATTERN, authenticateApiKey, InvalidApiKeyError } from "../../auth/api-keys";
import { InvalidTokenError, verifyAccessToken } from "../../auth/tokens";
import { findUserById } from "../../auth/users";
import { afterResponse } from "../cache";
import { ProblemError } from "../problem";
import type { AppEnv } from "../types";
import { enforceRateLimit } from "./rate-limit";

function unauthorized(detail: string, tokenPresented: boolean): ProblemError {
  // RFC 6750 section 3.1: no error code when the request carried no credentials at all.
  const challenge = tokenPresented
    ? `Bearer realm="egrid-edge", error="invalid_token", error_description="${detail.replaceAll(`"`, "'")}"`
    : `Bearer realm="egrid-edge"`;
  return new ProblemError(401, "unauthorized", "Unauthorized", detail, {}, { "WWW-Authenticate": challenge });
}

/**
 * Requires `Authorization: Bearer <JWT or API key>`: verifies it, loads the user row (role and
 * existence come from D1, not from the token or key), counts the request against the per-user
 * API_LIMITER and sets `c.var.user` (and `c.var.apiKeyId` for a key).
 */
export function authenticate() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) {
      throw unauthorized("send Authorization: Bearer <token from POST /api/v1/auth/token, or an API key>", false);
    }
    const match = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
    if (!match?.[1]) throw unauthorized("Authorization header must be 'Bearer <token>'", true);
    if (API_KEY_PATTERN.test(match[1])) {
      try {
        const { keyId, ...user } = await authenticateApiKey(c.env.DB, match[1]);
        c.set("user", user);
        c.set("apiKeyId", keyId);
      } catch (error) {
        if (error instanceof InvalidApiKeyError) throw unauthorized(error.message, true);
        throw error;
      }
      await enforceRateLimit(c.env.API_LIMITER, `user:${c.get("user")?.id}`, "this user sent too many requests");
      return next();
    }
    let subject: string;
    try {
      subject = (await verifyAccessToken(c.env.JWT_SIGNING_KEYS, match[1])).sub;
    } catch (error) {
      if (error instanceof InvalidTokenError) throw unauthorized(error.message, true);
      throw error;
    }
    // A row checked 15-30 s ago is used as is and re-read after the response (users.ts).
    const row = await findUserById(c.env.DB, subject, (work) => afterResponse(c, work));
    if (!row) throw unauthorized("the user of this token no longer exists", true);
    c.set("user", { id: row.id, email: row.email, role: row.role });
    await enforceRateLimit(c.env.API_LIMITER, `user:${row.id}`, "this user sent too many requests");
    await next();
  });
}

/** True when `role` includes the rights of `needed` (admin > owner > analyst). */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Requires a signed-in user with at least `needed`; 403 otherwise. Use after authenticate(). */
export function requireRole(needed: Role) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const user = c.get("user");
    if (!user) throw unauthorized("sign in first", false);
    if (!roleAtLeast(user.role, needed)) {
      throw new ProblemError(
        403,
        "forbidden",
        "Forbidden",
        `this needs the ${needed} role; your role is ${user.role}`,
        {},
        { "WWW-Authenticate": `Bearer realm="egrid-edge", error="insufficient_scope"` },
      );
    }
    await next();
  });
}
