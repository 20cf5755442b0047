import type { Role } from "../../domain/roles";

/** The signed-in user, as read from D1 (not from the token) on each request. */
export interface AuthUser {
  id: string;
  email: string;
  role: Role;
}

/** Hono environment of the API: Worker bindings plus per-request variables. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    user?: AuthUser;
    /** Set when the request authenticated with an API key rather than a token. */
    apiKeyId?: string;
    /** What the KV cache did for this request, for the log line. */
    cache?: "HIT" | "MISS" | "NOT_MODIFIED";
    /** D1 and KV cost of this request so far (middleware/server-timing.ts), for the log line. */
    timings?: import("./timed-bindings").BindingTimes;
  };
}
