import type { MoverRow } from "../../lib/analysis-api";
import { formatExactMwh } from "../../lib/format";
import { fuelPatternId, fuelStyle } from "../../lib/fuels";
import { ChartFrame, truncate, useWidth } from "../chart-frame";
import { formatChange } from "./change-figure";

const ROW = 40;

/**
 * Each mover's change as a bar from a zero line (increases right, decreases left) in its fuel's
 * pattern; the name, fuel and signed change are written on every row.
 */
export function MoversChart({ rows, title }: { rows: MoverRow[]; title: string }) {
  // Drawn at the width it gets, so the names stay 13 px on a phone instead of shrinking.
  const [width, svgRef] = useWidth();
  const max = Math.max(1, ...rows.map((r) => Math.abs(r.changeMwh)));
  const anyDown = rows.some((r) => r.changeMwh < 0);
  const anyUp = rows.some((r) => r.changeMwh > 0);
  const zero = anyDown && anyUp ? width / 2 : anyDown ? width - 10 : 10;
  const span = anyDown && anyUp ? width / 2 - 10 : width - 20;
  const height = rows.length * ROW + 4;
  return (
    <ChartFrame
      class="chart"
      id="movers-chart-title"
      title={title}
      svg={{ ref: svgRef, viewBox: `0 0 ${width} ${height}`, width: "100%", class: "movers-chart" }}
    >
      <line x1={zero} x2={zero} y1={0} y2={height} class="zero-line" />
      {rows.map((r, i) => {
        const y = i * ROW + 2;
        const w = Math.max((Math.abs(r.changeMwh) / max) * span, 1);
        const x = r.changeMwh < 0 ? zero - w : zero;
        const fuel = fuelStyle(r.primaryFuelCategory);
        const text = `${r.name} · ${r.primaryFuelCategory ? fuel.label : "fuel not in file"} · ${formatChange(r.changeMwh)}`;
        return (
          <g key={r.plantId} class="bar-row" data-value={String(r.changeMwh)} data-fuel={fuel.category}>
            <title>{`${r.name}: ${formatExactMwh(r.changeMwh)}`}</title>
            <text
              x={r.changeMwh < 0 ? zero - 4 : zero + 4}
              y={y + 13}
              class="bar-label"
              text-anchor={r.changeMwh < 0 ? "end" : "start"}
            >
              {truncate(text, Math.floor((r.changeMwh < 0 ? zero : width - zero) / 7))}
            </text>
            <rect
              x={x}
              y={y + 18}
              width={w}
              height={ROW - 24}
              class="bar"
              fill={`url(#${fuelPatternId(r.primaryFuelCategory)})`}
            />
          </g>
        );
      })}
    </ChartFrame>
  );
}
