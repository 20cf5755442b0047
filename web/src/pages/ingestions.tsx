import { useEffect, useRef, useState } from "preact/hooks";
import { ScrollRegion } from "../components/scroll-region";
import { ErrorMessage } from "../components/status";
import { UploadForm } from "../components/upload-form";
import { fetchIngestion, fetchIngestions, type Ingestion } from "../lib/api";
import { formatBytes, formatCount } from "../lib/format";
import { useApiRequest } from "../lib/session-context";

const POLL_MS = 2000;

/** Owners: upload a CSV and follow ingestions (status, chunk progress, rows, rejected samples). */
export function IngestionsPage() {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
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
      <h1 ref={headingRef} tabIndex={-1}>
        Data ingestions
      </h1>
      <section aria-labelledby="upload-heading">
        <h2 id="upload-heading">Upload a file</h2>
        <UploadForm
          onUploaded={(id) => {
            setOpenId(id);
            setTick((t) => t + 1);
          }}
        />
      </section>
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">Recent ingestions</h2>
        {list.status === "error" && <ErrorMessage error={list.error} onRetry={list.retry} />}
        {!list.data && list.status === "loading" && <p role="status">Loading ingestions…</p>}
        {list.data && rows.length === 0 && <p class="empty">No ingestions yet. Upload a GEN CSV above.</p>}
        {rows.length > 0 && (
          <ScrollRegion label="Ingestions (scrollable table)">
            <table class="ingestion-table">
              <caption>Newest first{busy ? "; refreshing every 2 seconds while files are processing" : ""}</caption>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Status</th>
                  <th scope="col">Progress</th>
                  <th scope="col" class="num">
                    Rows loaded
                  </th>
                  <th scope="col" class="num">
                    Rows rejected
                  </th>
                  <th scope="col">Year</th>
                  <th scope="col">Queued</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((i) => (
                  <IngestionRow
                    key={i.id}
                    ingestion={i}
                    open={openId === i.id}
                    onToggle={() => setOpenId(openId === i.id ? null : i.id)}
                  />
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
        {openId && <IngestionDetails id={openId} version={tick} />}
      </section>
    </main>
  );
}

/** Chunk progress 0..1, or null before the file has been planned into chunks. */
export function chunkProgress(i: Ingestion): number | null {
  if (i.status === "done") return 1;
  if (!i.chunks.total) return null;
  return Math.min(i.chunks.done / i.chunks.total, 1);
}

function IngestionRow({ ingestion: i, open, onToggle }: { ingestion: Ingestion; open: boolean; onToggle: () => void }) {
  const progress = chunkProgress(i);
  return (
    <tr>
      <th scope="row" class="file">
        {i.objectKey}
        {i.sizeBytes !== null && <span class="hint"> {formatBytes(i.sizeBytes)}</span>}
      </th>
      <td>
        <span class={`badge ${i.status}`}>{i.status}</span>
        {i.active && <span class="badge active">active</span>}
        {i.error && <div class="error">{i.error}</div>}
      </td>
      <td>
        {progress === null ? (
          <span class="muted">waiting</span>
        ) : (
          <>
            <progress max={1} value={progress} aria-label={`Ingestion of ${i.objectKey}`} />{" "}
            <span class="hint">
              {i.chunks.done}/{i.chunks.total ?? "?"} chunks
            </span>
          </>
        )}
      </td>
      <td class="num">{formatCount(i.rows.loaded)}</td>
      <td class="num">{formatCount(i.rows.rejected)}</td>
      <td>{i.dataYear ?? "—"}</td>
      <td>{new Date(i.timings.queuedAt).toLocaleString()}</td>
      <td>
        <button type="button" class="link" aria-expanded={open} onClick={onToggle}>
          {open ? "Hide" : "Show"}
        </button>
      </td>
    </tr>
  );
}

function IngestionDetails({ id, version }: { id: string; version: number }) {
  const detail = useApiRequest(`ingestion:${id}:${version}`, (token, signal) => fetchIngestion(token, id, signal));
  if (detail.status === "error") return <ErrorMessage error={detail.error} />;
  const d = detail.data;
  if (!d) return <p role="status">Loading ingestion {id}…</p>;
  return (
    <section class="details" aria-labelledby="details-heading">
      <h3 id="details-heading">{d.objectKey}</h3>
      <dl>
        <dt>Status</dt>
        <dd>
          {d.status}
          {d.error ? `: ${d.error}` : ""}
        </dd>
        <dt>Rows</dt>
        <dd>
          {formatCount(d.rows.read)} read, {formatCount(d.rows.loaded)} loaded, {formatCount(d.rows.rejected)} rejected
        </dd>
        <dt>Plants</dt>
        <dd>{d.plantCount === null ? "—" : formatCount(d.plantCount)}</dd>
        <dt>Attempts</dt>
        <dd>{d.attempts}</dd>
        <dt>Duration</dt>
        <dd>{d.timings.durationMs === null ? "—" : `${(d.timings.durationMs / 1000).toFixed(1)} s`}</dd>
      </dl>
      {d.rejectedSample.length > 0 ? (
        <ScrollRegion label="Rejected rows (scrollable table)">
          <table>
            <caption>Sample of rejected rows ({d.rejectedSample.length} shown)</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  Line
                </th>
                <th scope="col">Reason</th>
                <th scope="col">Row as in the file</th>
              </tr>
            </thead>
            <tbody>
              {d.rejectedSample.map((r) => (
                <tr key={r.line}>
                  <td class="num">{r.line}</td>
                  <td>{r.reason}</td>
                  <td>
                    <code>{r.raw ?? ""}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : (
        <p>No rows were rejected.</p>
      )}
    </section>
  );
}
