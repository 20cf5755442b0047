import { useState } from "preact/hooks";
import { CreateKeyForm } from "../components/keys/create-key-form";
import { KeyTable } from "../components/keys/key-table";
import { NewSecret } from "../components/keys/new-secret";
import { ErrorMessage } from "../components/status";
import { type CreatedApiKey, fetchKeys } from "../lib/api";
import { useApiRequest, useSession } from "../lib/session-context";
// With this view's lazy chunk, after cards.css; no selector here matches a cards.css one's specificity.
import "../styles/keys.css";
import { PageHeading } from "../components/page-heading";

/** Every signed-in user: their API keys (admins: everyone's), create one, revoke one. */
export function KeysPage() {
  const { session } = useSession();
  const [tick, setTick] = useState(0);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const list = useApiRequest(`keys:${tick}`, (token, signal) => fetchKeys(token, signal));
  const keys = list.data?.data ?? [];

  return (
    <main id="main" class="keys">
      <PageHeading>API keys</PageHeading>
      <p class="muted">
        A key lets a script call the API without your password. It can do what your role can, and it stops working when
        it expires or is revoked.
      </p>
      <section aria-labelledby="create-key-heading">
        <h2 id="create-key-heading">Create a key</h2>
        {created ? (
          <NewSecret apiKey={created} onDone={() => setCreated(null)} />
        ) : (
          <CreateKeyForm
            onCreated={(key) => {
              setCreated(key);
              setTick((t) => t + 1);
            }}
          />
        )}
      </section>
      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">{session.role === "admin" ? "All keys" : "Your keys"}</h2>
        {list.status === "error" && <ErrorMessage error={list.error} onRetry={list.retry} />}
        {!list.data && list.status === "loading" && <p role="status">Loading keys…</p>}
        {list.data && keys.length === 0 && <p class="empty">No keys yet.</p>}
        {keys.length > 0 && (
          <KeyTable keys={keys} showOwner={session.role === "admin"} onChanged={() => setTick((t) => t + 1)} />
        )}
      </section>
    </main>
  );
}
