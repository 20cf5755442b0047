import { describe, expect, it } from "vitest";
import {
  canManageData,
  clearSession,
  decodeClaims,
  loadSession,
  saveSession,
  sessionFromToken,
} from "../../web/src/lib/session";

/** An unsigned JWT-shaped token with the given payload (the page never verifies; the API does). */
function token(payload: object): string {
  const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${b64({ alg: "HS256", typ: "JWT" })}.${b64(payload)}.sig`;
}

describe("session", () => {
  it("reads role and expiry from the token the API issued", () => {
    const exp = 1_800_000_000;
    expect(decodeClaims(token({ sub: "u1", role: "owner", exp }))).toEqual({ role: "owner", exp });
    const s = sessionFromToken(token({ role: "admin", exp }), "a@b.c", 3600);
    expect(s.expiresAt).toBe(exp * 1000);
    expect(canManageData(s)).toBe(true);
    expect(canManageData(sessionFromToken(token({ role: "analyst", exp }), "a@b.c", 3600))).toBe(false);
  });

  it("falls back to expires_in when the token cannot be read", () => {
    const s = sessionFromToken("not-a-jwt", "a@b.c", 3600, 1_000);
    expect(s.expiresAt).toBe(1_000 + 3_600_000);
    expect(s.role).toBe("analyst");
  });

  it("keeps the session in sessionStorage only until it expires", () => {
    const s = sessionFromToken(token({ role: "analyst", exp: 2_000 }), "a@b.c", 3600);
    saveSession(s);
    expect(loadSession(sessionStorage, 1_999_000)).toEqual(s);
    expect(loadSession(sessionStorage, 2_000_000)).toBeNull();
    // An expired entry is removed, not just ignored.
    expect(sessionStorage.length).toBe(0);
    expect(localStorage.length).toBe(0);
  });

  it("forgets the token on sign-out and ignores a corrupt entry", () => {
    saveSession(sessionFromToken(token({ role: "analyst", exp: 9_999_999_999 }), "a@b.c", 3600));
    clearSession();
    expect(loadSession()).toBeNull();
    sessionStorage.setItem("egrid-edge.session", "{not json");
    expect(loadSession()).toBeNull();
  });
});
