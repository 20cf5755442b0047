import { useEffect, useRef, useState } from "preact/hooks";
import { type ApiError, type ApiKey, revokeKey } from "../../lib/api";
import { formatTime } from "../../lib/format";
import { useFailure, useSession } from "../../lib/session-context";
import { ErrorMessage } from "../status";
import { TableHead } from "../table-head";

/** Keys newest first; cards on phones (styles/cards.css). Admins also see whose each key is. */
export function KeyTable({
  keys,
  showOwner,
  onChanged,
}: {
  keys: ApiKey[];
  showOwner: boolean;
  onChanged: () => void;
}) {
  return (
    <table class="key-table cards">
      <caption>Newest first. Keys act with their owner's role at the time of each request.</caption>
      <TableHead
        columns={["Name", ...(showOwner ? ["Owner"] : []), "Prefix", "Created", "Last used", "Expires", "Status"]}
      />
      <tbody>
        {keys.map((k) => (
          <KeyRow key={k.id} apiKey={k} showOwner={showOwner} onChanged={onChanged} />
        ))}
      </tbody>
    </table>
  );
}

function KeyRow({ apiKey: k, showOwner, onChanged }: { apiKey: ApiKey; showOwner: boolean; onChanged: () => void }) {
  const { session } = useSession();
  const failure = useFailure();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  // The confirmation replaces the Revoke button: keep keyboard focus where the user was.
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  const expired = k.expiresAt !== null && Date.parse(k.expiresAt) <= Date.now();

  function revoke() {
    setBusy(true);
    setError(null);
    revokeKey(session.token, k.id).then(
      () => {
        setBusy(false);
        setConfirming(false);
        onChanged();
      },
      (e: unknown) => {
        setBusy(false);
        setError(failure(e));
      },
    );
  }

  return (
    <tr class={`api-key${k.revokedAt ? " revoked" : ""}`}>
      <th scope="row" class="key-name">
        {k.name}
      </th>
      {showOwner && <td data-label="Owner">{k.userEmail}</td>}
      <td data-label="Prefix">
        <code>{k.prefix}</code>
      </td>
      <td data-label="Created">{formatTime(k.createdAt)}</td>
      <td data-label="Last used">{formatTime(k.lastUsedAt, "never")}</td>
      <td data-label="Expires">{formatTime(k.expiresAt, "never")}</td>
      <td data-label="Status" class="action">
        {k.revokedAt ? (
          <span class="key-state revoked">revoked {formatTime(k.revokedAt)}</span>
        ) : expired ? (
          <span class="key-state expired">expired</span>
        ) : (
          <span class="key-state active">active</span>
        )}
        {!k.revokedAt && !confirming && (
          <>
            {" "}
            <button type="button" class="secondary" onClick={() => setConfirming(true)}>
              Revoke
            </button>
          </>
        )}
        {confirming && (
          <div class="confirm">
            <p>Revoke "{k.name}"? Anything using it gets 401 from now on. This cannot be undone.</p>
            <button type="button" class="danger" disabled={busy} onClick={revoke} ref={confirmRef}>
              Yes, revoke
            </button>{" "}
            <button type="button" class="secondary" disabled={busy} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        )}
        {error && <ErrorMessage error={error} />}
      </td>
    </tr>
  );
}
