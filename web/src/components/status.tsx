import type { ApiError } from "../lib/api";

/** An API failure in the API's own words (the problem document's `detail`), with a retry. */
export function ErrorMessage({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  return (
    <div class="error-box" role="alert">
      <p>
        <strong>{error.status === 0 ? error.title : `${error.title} (${error.status})`}</strong>
      </p>
      <p>{error.detail}</p>
      {onRetry && (
        <button type="button" class="secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
