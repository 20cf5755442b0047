import type { DatasetVersion, YearDatasets } from "../../lib/api";
import { formatCount, formatTime } from "../../lib/format";
import { type Column, num, TableHead } from "../table-head";

export interface VersionTableProps {
  year: YearDatasets;
  busy: boolean;
  onPublish: (ingestionId: string, objectKey: string) => void;
}

const COLUMNS: Column[] = [
  "File",
  "Status",
  num("Plants"),
  num("Rows stored"),
  "Uploaded",
  "Completed",
  "By",
  "Action",
];

/**
 * A year's versions, newest upload first. Held versions are highlighted with their reason on a
 * full-width line below; a version that cannot be published says why instead of a button.
 * Phones (styles/cards.css, <= 640 px) show each version as a card.
 */
export function VersionTable({ year: y, busy, onPublish }: VersionTableProps) {
  // A withdrawn year's last published version is restored; any other version is published.
  const verbOf = (id: string) => (y.state === "withdrawn" && id === y.withdrawnIngestionId ? "Restore" : "Publish");
  return (
    <table class="version-table cards">
      <caption>Versions of {y.year}, newest upload first</caption>
      <TableHead columns={COLUMNS} />
      <tbody>
        {y.versions.flatMap((v) => [
          <VersionRow key={v.ingestionId} version={v} verb={verbOf(v.ingestionId)} busy={busy} onPublish={onPublish} />,
          v.status === "held" && v.holdReason ? (
            <tr key={`${v.ingestionId}-reason`} class="hold-reason">
              <td colSpan={COLUMNS.length}>
                {/^held\b/i.test(v.holdReason) ? (
                  v.holdReason
                ) : (
                  <>
                    <strong>Held:</strong> {v.holdReason}
                  </>
                )}
              </td>
            </tr>
          ) : null,
        ])}
      </tbody>
    </table>
  );
}

function VersionRow({
  version: v,
  verb,
  busy,
  onPublish,
}: {
  version: DatasetVersion;
  verb: string;
  busy: boolean;
  onPublish: VersionTableProps["onPublish"];
}) {
  return (
    <tr class={`version ${v.status}${v.active ? " active" : ""}`}>
      <th scope="row" class="file">
        {v.objectKey}
      </th>
      <td data-label="Status">
        <span class={`badge ${v.status}`}>{v.status}</span>
        {v.active && <span class="badge active">published</span>}
      </td>
      <td data-label="Plants" class="num">
        {v.plantCount === null ? "—" : formatCount(v.plantCount)}
      </td>
      <td data-label="Rows stored" class="num">
        {formatCount(v.rowsStored)}
      </td>
      <td data-label="Uploaded">{formatTime(v.uploadedAt)}</td>
      <td data-label="Completed">{formatTime(v.completedAt)}</td>
      <td data-label="By">{v.uploadedBy ?? "—"}</td>
      <td class="action">
        {v.canActivate ? (
          <button
            type="button"
            class={v.status === "held" ? "held-publish" : undefined}
            disabled={busy}
            onClick={() => onPublish(v.ingestionId, v.objectKey)}
            aria-label={`${verb} ${v.objectKey}`}
          >
            {verb}
          </button>
        ) : (
          <span class="hint">{v.active ? "Published now" : (v.cannotActivateReason ?? "Cannot be published")}</span>
        )}
      </td>
    </tr>
  );
}
