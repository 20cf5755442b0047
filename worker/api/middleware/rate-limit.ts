import { ProblemError } from "../problem";

/** Both limiters are configured with a 60 s period (wrangler.toml), the longest a client waits. */
const RETRY_AFTER_SECONDS = 60;

/**
 * Counts one request against a Workers rate-limit binding and throws a 429 problem when over.
 * A limiter that errors lets the request through: limits protect the service, they must not
 * take it down.
 */
export async function enforceRateLimit(limiter: RateLimit, key: string, what: string): Promise<void> {
  let success = true;
  try {
    ({ success } = await limiter.limit({ key }));
  } catch (error) {
    console.error(JSON.stringify({ event: "rate-limiter-error", message: String(error) }));
  }
  if (!success) {
    throw new ProblemError(
      429,
      "rate-limited",
      "Too many requests",
      `${what}; retry after ${RETRY_AFTER_SECONDS} seconds`,
      {},
      { "Retry-After": String(RETRY_AFTER_SECONDS) },
    );
  }
}
