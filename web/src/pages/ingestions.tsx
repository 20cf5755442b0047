import { useEffect, useState } from "preact/hooks";
import { DatasetsSection } from "../components/datasets/datasets-section";
import { IngestionList } from "../components/ingestions/ingestion-list";
import { ErrorMessage } from "../components/status";
import { UploadForm } from "../components/upload-form";
import { fetchIngestions, type Ingestion } from "../lib/api";
import { useApiRequest } from "../lib/session-context";
// Loaded with this view's lazy chunk, so after cards.css: safe, as no rule here has the same
// specificity as a cards.css rule for the same element (cards' selectors all start table.cards >).
import "../styles/ingestions.css";
import "../styles/datasets.css";
import { PageHeading } from "../components/page-heading";

const POLL_MS = 2000;

/** Changes when a file finishes or the published version moves, so the datasets reload then. */
function datasetsVersion(rows: Ingestion[]): string {
  return rows
    .filter((i) => i.status === "done" || i.status === "held")
    .map((i) => `${i.id}:${i.status}:${i.active ? 1 : 0}`)
    .join(",");
}

/** Owners: upload a CSV, manage each year's published dataset, follow ingestions. */
export function IngestionsPage() {
  const [tick, setTick] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useApiRequest(`ingestions:${tick}`, (token, signal) => fetchIngestions(token, signal));
  const rows = list.data?.data ?? [];
  const busy = rows.some((i) => i.status === "queued" || i.status === "processing");

  // Poll while something is in flight, so progress moves without a reload.
  useEffect(() => {
    if (!busy || list.status === "loading") return;
    const timer = setTimeout(() => setTick((t) => t + 1), POLL_MS);
    return () => clearTimeout(timer);
  }, [busy, list.status, tick]);

  return (
    <main id="main" class="ingestions">
      <PageHeading>Data ingestions</PageHeading>
      <section aria-labelledby="upload-heading">
        <h2 id="upload-heading">Upload a file</h2>
        <UploadForm
          onUploaded={(id) => {
            setOpenId(id);
            setTick((t) => t + 1);
          }}
        />
      </section>
      <DatasetsSection
        version={list.data ? datasetsVersion(rows) : "loading"}
        onChanged={() => setTick((t) => t + 1)}
      />
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">Recent ingestions</h2>
        {list.status === "error" && <ErrorMessage error={list.error} onRetry={list.retry} />}
        {!list.data && list.status === "loading" && <p role="status">Loading ingestions…</p>}
        {list.data && rows.length === 0 && <p class="empty">No ingestions yet. Upload a GEN CSV above.</p>}
        {rows.length > 0 && (
          <IngestionList
            rows={rows}
            caption={`Newest first${busy ? "; refreshing every 2 seconds while files are processing" : ""}`}
            openId={openId}
            onToggle={(id) => setOpenId(openId === id ? null : id)}
            version={tick}
          />
        )}
      </section>
    </main>
  );
}
