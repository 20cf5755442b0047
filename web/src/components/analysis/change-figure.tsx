import { formatEnergy, formatExactMwh } from "../../lib/format";

export interface ChangeFigureProps {
  changeMwh: number | null;
  changePct: number | null;
  /** The year compared with; null when the plant has no earlier year with data. */
  previousYear: number | null;
}

/** "+1.23 TWh" / "-450 MWh": the sign always written, so the figure reads without the arrow. */
export function formatChange(mwh: number): string {
  return mwh > 0 ? `+${formatEnergy(mwh)}` : formatEnergy(mwh);
}

/** "+5.3%"; "n/a" when the previous year had zero or unknown generation (no ratio). */
export function formatChangePct(pct: number | null): string {
  if (pct === null || !Number.isFinite(pct)) return "n/a";
  return `${pct > 0 ? "+" : ""}${pct.toFixed(1)}%`;
}

/**
 * Change against the previous year with data: an arrow (up, down, level), the MWh and the per
 * cent, each also in words for screen readers and in the tooltip with the exact MWh.
 */
export function ChangeFigure({ changeMwh, changePct, previousYear }: ChangeFigureProps) {
  if (previousYear === null) return <span class="change none muted">new (no earlier year)</span>;
  if (changeMwh === null) return <span class="change none muted">unknown vs {previousYear}</span>;
  const dir = changeMwh > 0 ? "up" : changeMwh < 0 ? "down" : "level";
  const arrow = dir === "up" ? "▲" : dir === "down" ? "▼" : "▶";
  const words = `${dir === "level" ? "no change" : dir} ${formatExactMwh(Math.abs(changeMwh))}${
    changePct === null ? "" : ` (${formatChangePct(changePct)})`
  } since ${previousYear}`;
  return (
    <span class={`change ${dir}`} title={words}>
      <span aria-hidden="true">
        <span class="arrow">{arrow}</span> {formatChange(changeMwh)}{" "}
        <span class="pct">{formatChangePct(changePct)}</span>
      </span>
      <span class="visually-hidden">{words}</span>
    </span>
  );
}
