import type { ComponentChildren } from "preact";

/** A column: its label, or a label over figures (right-aligned, class "num"). */
export type Column = string | { label: ComponentChildren; num: true };

/** A column over figures. */
export const num = (label: ComponentChildren): Column => ({ label, num: true });

/**
 * The header row every data table has: one `<th scope="col">` per column, so each table states
 * its columns once and a full-width row can span `columns.length`.
 */
export function TableHead({ columns }: { columns: Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) =>
          typeof c === "string" ? (
            <th key={i} scope="col">
              {c}
            </th>
          ) : (
            <th key={i} scope="col" class="num">
              {c.label}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}
