import { useState } from "preact/hooks";
import { type ApiError, type CreatedApiKey, createKey } from "../../lib/api";
import { useFailure, useSession } from "../../lib/session-context";
import { ErrorMessage } from "../status";

/** The API's limit on a key's name (NewApiKey schema: 1-100 characters after trimming). */
const NAME_MAX = 100;

/** "2027-01-31" (a date input) -> the end of that day in UTC, as the API's ISO 8601 expiresAt. */
export function expiryFromDate(date: string): string | null {
  return date ? `${date}T23:59:59Z` : null;
}

/** Name and optional expiry date; on success hands the created key (with its secret) up. */
export function CreateKeyForm({ onCreated }: { onCreated: (key: CreatedApiKey) => void }) {
  const { session } = useSession();
  const failure = useFailure();
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [nameProblem, setNameProblem] = useState<string | null>(null);

  function submit(e: Event) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setNameProblem('Give the key a name, e.g. what will use it ("nightly export").');
    setNameProblem(null);
    setError(null);
    setBusy(true);
    createKey(session.token, trimmed, expiryFromDate(expiry)).then(
      (key) => {
        setBusy(false);
        setName("");
        setExpiry("");
        onCreated(key);
      },
      (err: unknown) => {
        setBusy(false);
        setError(failure(err));
      },
    );
  }

  return (
    <form class="create-key" onSubmit={submit} noValidate>
      <div class="field">
        <label for="key-name">Name</label>
        <input
          id="key-name"
          value={name}
          maxLength={NAME_MAX}
          aria-invalid={nameProblem ? true : undefined}
          aria-describedby={nameProblem ? "key-name-problem" : undefined}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        {nameProblem && (
          <p id="key-name-problem" class="error">
            {nameProblem}
          </p>
        )}
      </div>
      <div class="field">
        <label for="key-expiry">Expires (optional, end of day UTC)</label>
        <input id="key-expiry" type="date" value={expiry} onInput={(e) => setExpiry(e.currentTarget.value)} />
      </div>
      <button type="submit" disabled={busy}>
        {busy ? "Creating…" : "Create key"}
      </button>
      {error && <ErrorMessage error={error} />}
    </form>
  );
}
