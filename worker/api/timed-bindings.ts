import { faults } from "../dev/faults";
import { ProblemError } from "./problem";

/** How long a client should wait before retrying while D1 is unavailable (RFC 9110 section 10.2.3). */
export const D1_RETRY_AFTER_SECONDS = 1;

/** What one request spent on D1 and KV, for Server-Timing. */
export interface BindingTimes {
  /** Statements run (a batch counts each of its statements). */
  d1Queries: number;
  /**
   * Round trips on the request's critical path: a call (query or batch) started while no other
   * D1 call was in flight; calls that overlap one under way add nothing, as they add no latency.
   */
  d1RoundTrips: number;
  /** D1 calls under way now (for d1RoundTrips). */
  d1InFlight: number;
  d1Ms: number;
  kvCalls: number;
  kvMs: number;
}

export function d1Unavailable(): ProblemError {
  return new ProblemError(
    503,
    "unavailable",
    "Database unavailable",
    `the database is not answering; cached answers are still served, retry this one in ${D1_RETRY_AFTER_SECONDS} s`,
    {},
    { "Retry-After": String(D1_RETRY_AFTER_SECONDS) },
  );
}

async function timed<T>(times: BindingTimes, queries: number, call: () => Promise<T>): Promise<T> {
  if (faults.d1 === "down") throw d1Unavailable();
  const started = performance.now();
  if (times.d1InFlight === 0) times.d1RoundTrips += 1;
  times.d1InFlight += 1;
  try {
    if (faults.d1LatencyMs > 0) await new Promise((r) => setTimeout(r, faults.d1LatencyMs));
    return await call();
  } finally {
    times.d1InFlight -= 1;
    times.d1Queries += queries;
    times.d1Ms += performance.now() - started;
  }
}

type Preparer = Pick<D1Database, "prepare" | "batch">;

// Statements handed to batch() must be the binding's own objects, not proxies.
const unwrapped = new WeakMap<object, D1PreparedStatement>();

function timedStatement(statement: D1PreparedStatement, times: BindingTimes): D1PreparedStatement {
  const proxy = new Proxy(statement, {
    get(target, prop) {
      if (prop === "bind") return (...values: unknown[]) => timedStatement(target.bind(...values), times);
      if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
        const method = Reflect.get(target, prop).bind(target) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => timed(times, 1, () => method(...args));
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  unwrapped.set(proxy, statement);
  return proxy;
}

function timedPreparer<T extends Preparer>(
  db: T,
  times: BindingTimes,
  extra: (target: T, prop: PropertyKey) => unknown,
) {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") {
        return (sql: string) => timedStatement(target.prepare(sql), times);
      }
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) =>
          timed(times, statements.length, () => target.batch(statements.map((s) => unwrapped.get(s) ?? s)));
      }
      const special = extra(target, prop);
      if (special !== undefined) return special;
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * The request's D1 binding, counting and timing every query (a batch counts its statements) and
 * failing with a 503 problem while the local fault switch says D1 is down.
 */
export function timedD1(db: D1Database, times: BindingTimes): D1Database {
  return timedPreparer(db, times, (target, prop) =>
    prop === "withSession"
      ? (constraint?: string) => timedPreparer(target.withSession(constraint), times, () => undefined)
      : undefined,
  );
}

/** The request's KV binding, timing every call (all of them await one round trip). */
export function timedKv(kv: KVNamespace, times: BindingTimes): KVNamespace {
  return new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await value.apply(target, args);
        } finally {
          times.kvCalls += 1;
          times.kvMs += performance.now() - started;
        }
      };
    },
  });
}
