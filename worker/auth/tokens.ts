import { errors, type JWTPayload, jwtVerify, SignJWT } from "jose";
import type { Role } from "../../domain/roles";
import { MemoryCache } from "../api/memory-cache";
import { fromBase64Url } from "./encoding";

/** `iss` and `aud` of every access token; verification requires both. */
export const TOKEN_ISSUER = "egrid-edge";
export const TOKEN_AUDIENCE = "egrid-edge-api";
/** Access tokens last one hour. */
export const TOKEN_TTL_SECONDS = 3600;
/** Allowed clock difference between the signer and the verifier, in seconds. */
export const CLOCK_SKEW_SECONDS = 30;
// Pinned: tokens claiming any other algorithm (none, RS256, HS512...) are refused before any key is used.
const ALGORITHM = "HS256";

/** One HMAC key from JWT_SIGNING_KEYS. */
export interface SigningKey {
  kid: string;
  secret: Uint8Array<ArrayBuffer>;
}

/** Claims this API puts in its access tokens. */
export interface AccessClaims extends JWTPayload {
  sub: string;
  role: Role;
}

/**
 * Parses JWT_SIGNING_KEYS (`[{"kid","secret"}]`, newest first, secret = base64url of >= 32
 * bytes). Throws a clear error on a misconfiguration rather than signing with a weak key.
 */
export function parseSigningKeys(json: string | undefined): SigningKey[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json ?? "");
  } catch {
    throw new Error("JWT_SIGNING_KEYS is not set or not JSON");
  }
  if (!Array.isArray(raw) || raw.length === 0) throw new Error("JWT_SIGNING_KEYS must be a non-empty array");
  return raw.map((entry: { kid?: unknown; secret?: unknown }, i) => {
    if (typeof entry?.kid !== "string" || typeof entry.secret !== "string") {
      throw new Error(`JWT_SIGNING_KEYS[${i}] needs string "kid" and "secret"`);
    }
    const secret = fromBase64Url(entry.secret);
    if (secret.byteLength < 32) throw new Error(`JWT_SIGNING_KEYS[${i}] secret is shorter than 32 bytes`);
    return { kid: entry.kid, secret };
  });
}

/** Signs a one-hour access token with the newest key, naming it in the `kid` header. */
export async function signAccessToken(keys: SigningKey[], user: { id: string; role: Role }): Promise<string> {
  const [key] = keys;
  if (!key) throw new Error("no signing key");
  return new SignJWT({ role: user.role })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: "JWT" })
    .setSubject(user.id)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${TOKEN_TTL_SECONDS}s`)
    .setJti(crypto.randomUUID())
    .sign(key.secret);
}

/** Verified tokens each isolate remembers (~1 KB each with claims: ~5 MB at most). */
export const VERIFIED_TOKENS_KEPT = 5_000;

let parsed: { json: string; keys: SigningKey[] } | null = null;
function parsedKeys(json: string): SigningKey[] {
  if (parsed?.json !== json) parsed = { json, keys: parseSigningKeys(json) };
  return parsed.keys;
}

/** Why a token was refused, in words safe to show the client. */
export class InvalidTokenError extends Error {}

// Parsing the keys and importing them into WebCrypto costs CPU on every request otherwise; the
// secret rarely changes, so keep the imported keys of the last JWT_SIGNING_KEYS value seen.
let imported: { json: string; keys: Map<string, Promise<CryptoKey>> } | null = null;

function verificationKey(json: string, keys: SigningKey[], kid: string | undefined): Promise<CryptoKey> {
  if (imported?.json !== json) imported = { json, keys: new Map() };
  const cached = imported.keys.get(kid ?? "");
  if (cached) return cached;
  const key = keys.find((k) => k.kid === kid);
  if (!key) throw new InvalidTokenError("unknown signing key id");
  const promise = crypto.subtle.importKey("raw", key.secret, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  imported.keys.set(key.kid, promise);
  return promise;
}

/**
 * Tokens this isolate has verified, with their claims, each kept until its `exp`: a client
 * sending the same token again costs a map lookup instead of an HMAC and jose's claim checks. A
 * token's claims cannot change (they are signed), and role and existence are not taken from
 * them (see authenticate()), so remembering them changes no answer. Bounded by entry count.
 */
const verified = {
  keysJson: "",
  claims: new MemoryCache<AccessClaims>({ maxSize: VERIFIED_TOKENS_KEPT }),
};

/**
 * Verifies signature (any configured key, chosen by `kid`), algorithm, exp/nbf with a small
 * skew, issuer and audience. `keysJson` is JWT_SIGNING_KEYS. Throws InvalidTokenError with a
 * client-safe reason.
 */
export async function verifyAccessToken(keysJson: string, token: string): Promise<AccessClaims> {
  // Outside the try: a misconfigured secret is a server error, not the client's bad token.
  const keys = parsedKeys(keysJson);
  if (verified.keysJson !== keysJson) {
    // Rotated keys: a token signed with a key that is gone must be refused from now on.
    verified.claims.clear();
    verified.keysJson = keysJson;
  }
  const known = verified.claims.get(token);
  if (known) return known;
  try {
    const { payload } = await jwtVerify(token, (header) => verificationKey(keysJson, keys, header.kid), {
      algorithms: [ALGORITHM],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      clockTolerance: CLOCK_SKEW_SECONDS,
      // jose checks exp only when present: require it, so no signed token lives forever.
      requiredClaims: ["exp", "iat", "sub"],
    });
    if (typeof payload.sub !== "string") throw new InvalidTokenError("token has no subject");
    const claims = payload as AccessClaims;
    // Until exp (required above): past it the token is verified again, and refused as expired.
    verified.claims.set(token, claims, (claims.exp as number) * 1000);
    return claims;
  } catch (error) {
    throw new InvalidTokenError(describe(error));
  }
}

function describe(error: unknown): string {
  if (error instanceof InvalidTokenError) return error.message;
  if (error instanceof errors.JWTExpired) return "token expired";
  if (error instanceof errors.JWTClaimValidationFailed) return `token claim '${error.claim}' is invalid`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "token algorithm not allowed";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "token signature is invalid";
  return "token is malformed";
}
