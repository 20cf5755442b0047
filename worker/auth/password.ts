import { fromBase64Url, toBase64Url } from "./encoding";

/** workerd caps PBKDF2 at 100,000 iterations; use the cap. */
export const PBKDF2_ITERATIONS = 100_000;
const HASH_BYTES = 32;
const SALT_BYTES = 16;

/** A salted PBKDF2-SHA256 hash as stored in the users table. */
export interface PasswordHash {
  hash: string;
  salt: string;
  iterations: number;
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    HASH_BYTES * 8,
  );
  return new Uint8Array(bits);
}

/** Hashes a password with a fresh random salt. */
export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, PBKDF2_ITERATIONS);
  return { hash: toBase64Url(hash), salt: toBase64Url(salt), iterations: PBKDF2_ITERATIONS };
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = fromBase64Url(stored.hash);
  const actual = await derive(password, fromBase64Url(stored.salt), stored.iterations);
  return constantTimeEqual(actual, expected);
}

/** Compares without stopping at the first difference, so timing reveals nothing about the hash. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/**
 * A hash of no real password, verified against when the email is unknown so that a login for
 * an unknown user costs the same PBKDF2 work as one for a known user (no timing enumeration).
 */
export const DECOY_HASH: PasswordHash = {
  hash: "2nKpUQ8cR4Yk5oR6d8n0pZ3a1oO3QbYc6S4Cw8F1h9M",
  salt: "c2FsdC1mb3ItZGVjb3k",
  iterations: PBKDF2_ITERATIONS,
};
