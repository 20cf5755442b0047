import { Fragment } from "preact";
import type { Ingestion } from "../../lib/api";
import { formatBytes, formatCount, formatTime } from "../../lib/format";
import { progressView } from "../../lib/ingestion-progress";
import { type Column, num, TableHead } from "../table-head";
import { IngestionDetails } from "./ingestion-details";

const COLUMNS: Column[] = [
  "File",
  "Status",
  "Progress",
  num("Rows loaded"),
  num("Rows rejected"),
  "Year",
  "Queued",
  "Details",
];

export interface IngestionListProps {
  rows: Ingestion[];
  caption: string;
  openId: string | null;
  onToggle: (id: string) => void;
  /** Bumped on every refresh, so open details reload with the list. */
  version: number;
}

/**
 * Ingestions newest first. Wide screens: a table. Phones (styles/cards.css, <= 640 px): each row is a
 * card with labelled fields, so nothing needs sideways scrolling. The details of a row open right
 * below it, where it was clicked, not below the whole list.
 */
export function IngestionList({ rows, caption, openId, onToggle, version }: IngestionListProps) {
  return (
    <table class="ingestion-table cards">
      <caption>{caption}</caption>
      <TableHead columns={COLUMNS} />
      <tbody>
        {rows.map((i) => (
          <Fragment key={i.id}>
            <IngestionRow ingestion={i} open={openId === i.id} onToggle={() => onToggle(i.id)} />
            {openId === i.id && (
              <tr class="details-row" id={`details-${i.id}`}>
                <td colSpan={COLUMNS.length}>
                  <IngestionDetails id={i.id} version={version} />
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

function IngestionRow({ ingestion: i, open, onToggle }: { ingestion: Ingestion; open: boolean; onToggle: () => void }) {
  const progress = progressView(i);
  return (
    <tr class={`ingestion ${i.status}`}>
      <th scope="row" class="file">
        {i.objectKey}
        {i.sizeBytes !== null && <span class="hint"> {formatBytes(i.sizeBytes)}</span>}
      </th>
      <td data-label="Status" class="status">
        <span class={`badge ${i.status}`}>{i.status}</span>
        {i.active && <span class="badge active">published</span>}
        {i.error && <div class="error">{i.error}</div>}
        {i.status === "held" && (
          <div class="hint">{i.holdReason ?? "Not published: see Datasets above for why and to publish it."}</div>
        )}
      </td>
      <td data-label="Progress" class="progress">
        {progress.fraction !== null && (
          <>
            <progress max={1} value={progress.fraction} aria-label={`Ingestion of ${i.objectKey}`} />{" "}
          </>
        )}
        <span class={progress.fraction === null ? "outcome" : "hint"}>{progress.text}</span>
      </td>
      <td data-label="Rows loaded" class="num">
        {formatCount(i.rows.loaded)}
      </td>
      <td data-label="Rows rejected" class="num">
        {formatCount(i.rows.rejected)}
      </td>
      <td data-label="Year">{i.dataYear ?? "—"}</td>
      <td data-label="Queued">{formatTime(i.timings.queuedAt)}</td>
      <td class="toggle">
        <button
          type="button"
          class="secondary small"
          aria-expanded={open}
          aria-controls={open ? `details-${i.id}` : undefined}
          onClick={onToggle}
        >
          {open ? "Hide details" : "Details"}
        </button>
      </td>
    </tr>
  );
}
