import { formatEnergy, formatExactMwh } from "../../lib/format";
import { FUEL_CATEGORIES, FUEL_STYLES, type FuelCategory, fuelPatternId } from "../../lib/fuels";
import { ChartFrame, useWidth } from "../chart-frame";
import { FuelLegend, FuelSwatch } from "./fuel-key";

/** Net generation by fuel category (MWh; null = unknown). */
export type ByFuel = Partial<Record<FuelCategory, number | null>>;

/** The categories with a non-zero value, in EPA's order. */
export function presentFuels(rows: ByFuel[]): FuelCategory[] {
  return FUEL_CATEGORIES.filter((c) => rows.some((r) => (r[c] ?? 0) !== 0));
}

/** Each positive category's share of the positive total, in per cent (storage's negatives left out). */
export function fuelShares(mix: ByFuel): { category: FuelCategory; mwh: number; pct: number }[] {
  const parts = FUEL_CATEGORIES.map((c) => ({ category: c, mwh: mix[c] ?? 0 })).filter((p) => p.mwh > 0);
  const total = parts.reduce((s, p) => s + p.mwh, 0);
  return parts.map((p) => ({ ...p, pct: total > 0 ? (p.mwh / total) * 100 : 0 }));
}

/**
 * One 100% bar of a fuel mix, with each share written out below it ("Gas 45.2%"), so the
 * figures read without the colours.
 */
export function MixBar({ label, mix }: { label: string; mix: ByFuel }) {
  const shares = fuelShares(mix);
  let x = 0;
  return (
    <div class="mix">
      <div class="mix-label">{label}</div>
      <svg
        class="mix-bar"
        viewBox="0 0 100 6"
        preserveAspectRatio="none"
        role="img"
        aria-label={`${label}: ${shares.map((s) => `${FUEL_STYLES[s.category].label} ${s.pct.toFixed(1)}%`).join(", ") || "no generation"}`}
      >
        {shares.map((s) => {
          const rect = (
            <rect
              key={s.category}
              x={x}
              width={s.pct}
              height="6"
              fill={`url(#${fuelPatternId(s.category)})`}
              data-fuel={s.category}
            />
          );
          x += s.pct;
          return rect;
        })}
      </svg>
      <ul class="mix-figures" aria-hidden="true">
        {shares.map((s) => (
          <li key={s.category} title={formatExactMwh(s.mwh)}>
            <FuelSwatch category={s.category} label={`${FUEL_STYLES[s.category].label} ${s.pct.toFixed(1)}%`} />
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface StackedColumnsProps {
  title: string;
  id: string;
  columns: { label: string; byFuel: ByFuel; total: number | null }[];
}

const HEIGHT = 180;
const TOP = 16;
const BOTTOM = 22;

/** Columns per year, stacked by fuel (negatives, e.g. pumped storage, hang below the zero line). */
export function StackedColumns({ title, id, columns }: StackedColumnsProps) {
  const fuels = presentFuels(columns.map((c) => c.byFuel));
  const up = columns.map((c) => fuels.reduce((s, f) => s + Math.max(c.byFuel[f] ?? 0, 0), 0));
  const down = columns.map((c) => fuels.reduce((s, f) => s + Math.min(c.byFuel[f] ?? 0, 0), 0));
  const max = Math.max(1, ...up, ...columns.map((c) => c.total ?? 0));
  const min = Math.min(0, ...down);
  // Drawn at the width it gets (text stays 13 px); columns no wider than 90 px.
  const [measured, svgRef] = useWidth();
  const width = Math.min(measured, Math.max(columns.length * 90, 200));
  const scale = (HEIGHT - TOP - BOTTOM) / (max - min);
  const zero = TOP + max * scale;
  const step = width / Math.max(columns.length, 1);
  return (
    <ChartFrame
      class="chart trend"
      id={id}
      title={title}
      svg={{
        ref: svgRef,
        width: "100%",
        height: HEIGHT,
        viewBox: `0 0 ${width} ${HEIGHT}`,
        preserveAspectRatio: "xMinYMin meet",
        class: "trend-chart",
      }}
      after={fuels.length > 0 && <FuelLegend categories={fuels} />}
    >
      <line x1={0} x2={width} y1={zero} y2={zero} class="zero-line" />
      {columns.map((c, i) => {
        const x = i * step + step * 0.2;
        const w = step * 0.6;
        const parts = stack(c, fuels, zero, scale);
        const top = Math.min(zero, ...parts.map((p) => p.y));
        return (
          <g key={c.label} class="trend-column" data-year={c.label} data-total={String(c.total)}>
            <title>{`${c.label}: ${formatExactMwh(c.total)}`}</title>
            {parts.map((p) => (
              <rect
                key={p.fuel ?? "total"}
                x={x}
                y={p.y}
                width={w}
                height={Math.max(p.h, 0.5)}
                // No fuel column that year: the total alone in the plain bar colour (see the note).
                class={p.fuel ? undefined : "bar"}
                fill={p.fuel ? `url(#${fuelPatternId(p.fuel)})` : undefined}
                data-fuel={p.fuel ?? undefined}
              >
                <title>{`${c.label}, ${p.fuel ? FUEL_STYLES[p.fuel].label : "all fuels"}: ${formatExactMwh(p.mwh)}`}</title>
              </rect>
            ))}
            <text x={x + w / 2} y={Math.max(top - 4, 11)} text-anchor="middle" class="bar-value">
              {formatEnergy(c.total)}
            </text>
            <text x={x + w / 2} y={HEIGHT - 6} text-anchor="middle" class="bar-label">
              {c.label}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}

interface Part {
  fuel: FuelCategory | null;
  mwh: number;
  y: number;
  h: number;
}

/** A column's rectangles: positives stacked up from zero, negatives down; without fuels, the total. */
function stack(
  column: StackedColumnsProps["columns"][number],
  fuels: FuelCategory[],
  zero: number,
  scale: number,
): Part[] {
  const known = fuels.filter((f) => (column.byFuel[f] ?? 0) !== 0);
  if (known.length === 0) {
    const t = column.total ?? 0;
    return t === 0 ? [] : [{ fuel: null, mwh: t, y: t > 0 ? zero - t * scale : zero, h: Math.abs(t) * scale }];
  }
  let top = zero;
  let bottom = zero;
  return known.map((fuel) => {
    const mwh = column.byFuel[fuel] ?? 0;
    const h = Math.abs(mwh) * scale;
    if (mwh > 0) {
      top -= h;
      return { fuel, mwh, y: top, h };
    }
    bottom += h;
    return { fuel, mwh, y: bottom - h, h };
  });
}
