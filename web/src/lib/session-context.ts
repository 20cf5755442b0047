import { createContext } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "./api";
import type { Session } from "./session";

export const SESSION_EXPIRED = "Your session expired, sign in again.";

export interface SessionApi {
  session: Session;
  /** Signs out; `message` is shown on the sign-in form (e.g. SESSION_EXPIRED). */
  signOut: (message?: string) => void;
}

export const SessionContext = createContext<SessionApi | null>(null);

/** The signed-in session; only used below the signed-in layout, where it always exists. */
export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error("useSession outside SessionContext");
  return api;
}

/**
 * The one rule for a failed API call: a 401 ends the session with SESSION_EXPIRED (null: nothing
 * to show); any other failure comes back as an ApiError, with `fallback` (or the error's own text)
 * as its detail when it was not the API's.
 */
function failureOf(error: unknown, signOut: SessionApi["signOut"], fallback?: string): ApiError | null {
  if (error instanceof ApiError && error.status === 401) {
    signOut(SESSION_EXPIRED);
    return null;
  }
  return error instanceof ApiError ? error : new ApiError(0, "Error", fallback ?? String(error));
}

/** That rule for calls made outside useApiRequest (a click, a form): `failure(error, fallback?)`. */
export function useFailure(): (error: unknown, fallback?: string) => ApiError | null {
  const { signOut } = useSession();
  return (error, fallback) => failureOf(error, signOut, fallback);
}

export type RequestState<T> =
  | { status: "loading"; data: T | null }
  | { status: "ok"; data: T }
  | { status: "error"; data: T | null; error: ApiError };

/**
 * Runs `load(token, signal)` whenever `key` changes, aborting the previous run so a slow answer
 * never overwrites a newer one. A 401 ends the session with SESSION_EXPIRED. While reloading,
 * the previous data stays available so the page does not flash empty. `key` null = don't load.
 */
export function useApiRequest<T>(key: string | null, load: (token: string, signal: AbortSignal) => Promise<T>) {
  const { session, signOut } = useSession();
  const [state, setState] = useState<RequestState<T>>({ status: "loading", data: null });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setState((s) => ({ status: "loading", data: s.data }));
    loadRef.current(session.token, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: "ok", data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError = failureOf(error, signOut);
        if (apiError) setState((s) => ({ status: "error", data: s.data, error: apiError }));
      },
    );
    return () => controller.abort();
  }, [key, attempt, session.token, signOut]);
  return { ...state, retry: () => setAttempt((a) => a + 1) };
}
