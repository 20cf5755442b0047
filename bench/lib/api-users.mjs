// Shared by the API and load benchmarks: JSON requests to the local API, and analyst accounts
// whose tokens spread load over many users (the per-user API_LIMITER is never loosened).
import { SignJWT } from "jose";

/** A JSON request to the API; throws with the status and body on anything but 2xx. */
export async function api(base, path, init = {}) {
  const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(60_000), ...init });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} -> ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * Creates `count` analysts through the admin API and returns an Authorization header value for
 * each, signed with the stack's own first key exactly as a login would sign it.
 */
export async function makeAnalystTokens({ base, adminToken, keys, count, prefix }) {
  const [{ kid, secret }] = JSON.parse(keys);
  const key = Buffer.from(secret, "base64url");
  const tokens = [];
  for (let i = 0; i < count; i += 10) {
    const batch = Array.from({ length: Math.min(10, count - i) }, (_, j) =>
      api(base, "/api/v1/users", {
        method: "POST",
        headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          email: `${prefix}-${i + j}@bench.local`,
          password: `${prefix}-password-${i + j}`,
          role: "analyst",
        }),
      }),
    );
    for (const user of await Promise.all(batch)) {
      const token = await new SignJWT({ role: user.role })
        .setProtectedHeader({ alg: "HS256", kid })
        .setSubject(user.id)
        .setIssuer("egrid-edge")
        .setAudience("egrid-edge-api")
        .setIssuedAt()
        .setExpirationTime("1h")
        .sign(key);
      tokens.push(`Bearer ${token}`);
    }
  }
  return tokens;
}
