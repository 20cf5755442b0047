import { useState } from "preact/hooks";
import { type AuditFilter, AuditFilters, auditRange, NO_FILTER } from "../components/audit/audit-filters";
import { AuditTable } from "../components/audit/audit-table";
import { ErrorMessage } from "../components/status";
import { type AuditEntry, fetchAudit } from "../lib/api";
import { useApiRequest } from "../lib/session-context";
// With this view's lazy chunk, after cards.css; no selector here matches a cards.css one's specificity.
import "../styles/keys.css";
import { PageHeading } from "../components/page-heading";

const PAGE_SIZE = 50;

/** Admins: who did what and from where, newest first, filtered; "More" follows nextCursor. */
export function AuditPage() {
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const [search, setSearch] = useState(0);
  // Pages already shown for the current filter, and the cursor of the page being asked for.
  const [earlier, setEarlier] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const key = `audit:${search}:${cursor ?? ""}`;
  const page = useApiRequest(key, (token, signal) =>
    fetchAudit(
      token,
      { action: filter.action, actor: filter.actor, ...auditRange(filter), cursor, limit: PAGE_SIZE },
      signal,
    ).then((answer) => ({ ...answer, key })),
  );
  // Only the answer for the current key: right after "More", and while loading or failed, the
  // hook still holds the previous page, which is already in `earlier` (shown twice otherwise).
  const fresh = page.status === "ok" && page.data.key === key ? page.data : null;
  const entries = [...earlier, ...(fresh?.data ?? [])];
  const nextCursor = fresh?.nextCursor ?? null;

  return (
    <main id="main" class="audit">
      <PageHeading>Audit trail</PageHeading>
      <AuditFilters
        onApply={(f) => {
          setFilter(f);
          setEarlier([]);
          setCursor(null);
          setSearch((s) => s + 1);
        }}
      />
      {page.status === "error" && <ErrorMessage error={page.error} onRetry={page.retry} />}
      {entries.length > 0 && <AuditTable entries={entries} />}
      {!fresh && page.status !== "error" && <p role="status">Loading entries…</p>}
      {fresh && entries.length === 0 && <p class="empty">No entries match these filters.</p>}
      {nextCursor && (
        <button
          type="button"
          class="secondary more"
          onClick={() => {
            setEarlier(entries);
            setCursor(nextCursor);
          }}
        >
          More (older entries)
        </button>
      )}
    </main>
  );
}
