import type { AuditEntry } from "../../lib/api";
import { formatTime } from "../../lib/format";
import { TableHead } from "../table-head";

/** An entry's detail object as "key: value" pairs; nested values as JSON. */
export function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
}

/** Audit entries newest first; cards on phones (styles/cards.css). */
export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <table class="audit-table cards">
      <caption>Newest first</caption>
      <TableHead columns={["When", "Who", "Action", "Target", "From", "Detail"]} />
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} class={`audit-entry ${e.action.replace(/\W/g, "-")}`}>
            <th scope="row" class="when">
              {formatTime(e.at)}
            </th>
            <td data-label="Who">{e.actor.email ?? e.actor.id ?? "unknown"}</td>
            <td data-label="Action">
              <code>{e.action}</code>
            </td>
            <td data-label="Target">{e.target ?? "—"}</td>
            <td data-label="From">{e.ip ?? "unknown"}</td>
            <td data-label="Detail" class="action">
              {detailText(e.detail) || "—"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
