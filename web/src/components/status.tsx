import type { ApiError } from "../lib/api";

/** Failures that may pass on a second try: no answer, rate limited, or a server error. */
export function isRetryable(error: ApiError): boolean {
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

/**
 * An API failure in the API's own words (the problem document's `detail`). "Try again" is offered
 * only when trying again can help; a 400 says what to change instead.
 */
export function ErrorMessage({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  return (
    <div class="error-box" role="alert">
      <p>
        <strong>{error.status === 0 ? error.title : `${error.title} (${error.status})`}</strong>
      </p>
      <p>{error.detail}</p>
      {onRetry && isRetryable(error) && (
        <button type="button" class="secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
