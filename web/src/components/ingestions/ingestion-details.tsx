import { fetchIngestion } from "../../lib/api";
import { formatCount } from "../../lib/format";
import { useApiRequest } from "../../lib/session-context";
import { ScrollRegion } from "../scroll-region";
import { ErrorMessage } from "../status";
import { num, TableHead } from "../table-head";

/** One ingestion's counts, timings and rejected-row sample (GET /api/v1/ingestions/{id}). */
export function IngestionDetails({ id, version }: { id: string; version: number }) {
  const detail = useApiRequest(`ingestion:${id}:${version}`, (token, signal) => fetchIngestion(token, id, signal));
  if (detail.status === "error") return <ErrorMessage error={detail.error} onRetry={detail.retry} />;
  const d = detail.data;
  if (!d) return <p role="status">Loading ingestion {id}…</p>;
  const headingId = `details-heading-${id}`;
  return (
    <section class="details" aria-labelledby={headingId}>
      <h3 id={headingId}>Details of {d.objectKey}</h3>
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
        <dt>Ingestion id</dt>
        <dd>
          <code>{d.id}</code>
        </dd>
      </dl>
      {d.rejectedSample.length > 0 ? (
        <ScrollRegion label="Rejected rows (scrollable table)">
          <table class="rejected">
            <caption>Sample of rejected rows ({d.rejectedSample.length} shown)</caption>
            <TableHead columns={[num("Line"), "Reason", "Row as in the file"]} />
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
