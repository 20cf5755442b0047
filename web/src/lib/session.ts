// The signed-in session: the access token, kept in memory and in sessionStorage (this tab only)
// until its `exp`, never in localStorage or a cookie. Sign-out and expiry remove it.

import type { Role } from "../../../domain/roles";

export interface Session {
  token: string;
  email: string;
  role: Role;
  /** Expiry, epoch milliseconds (the token's `exp`). */
  expiresAt: number;
}

const STORAGE_KEY = "egrid-edge.session";

/** Reads `role` and `exp` from a JWT's payload (no verification: the API verifies every call). */
export function decodeClaims(token: string): { role: Role; exp: number } | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const claims = JSON.parse(json) as { role?: unknown; exp?: unknown };
    const role = claims.role === "owner" || claims.role === "admin" ? claims.role : "analyst";
    return typeof claims.exp === "number" ? { role, exp: claims.exp } : null;
  } catch {
    return null;
  }
}

/** Builds a session from a fresh token; `expires_in` is the fallback when the token has no exp. */
export function sessionFromToken(token: string, email: string, expiresIn: number, now = Date.now()): Session {
  const claims = decodeClaims(token);
  return {
    token,
    email,
    role: claims?.role ?? "analyst",
    expiresAt: claims ? claims.exp * 1000 : now + expiresIn * 1000,
  };
}

/** True for roles that may see ingestions and upload (owner, and admin above it). */
export function canManageData(session: Session): boolean {
  return session.role === "owner" || session.role === "admin";
}

export function saveSession(session: Session, storage: Storage = sessionStorage): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(session));
}

/** The stored session if it has not expired; an expired one is removed. */
export function loadSession(storage: Storage = sessionStorage, now = Date.now()): Session | null {
  try {
    const raw = storage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    if (typeof session.token === "string" && typeof session.expiresAt === "number" && session.expiresAt > now) {
      return session;
    }
  } catch {
    // Corrupt entry: treat as signed out.
  }
  storage.removeItem(STORAGE_KEY);
  return null;
}

export function clearSession(storage: Storage = sessionStorage): void {
  storage.removeItem(STORAGE_KEY);
}
