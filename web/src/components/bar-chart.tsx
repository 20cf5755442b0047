import type { TopPlant } from "../lib/api";
import { formatEnergy, formatExactMwh } from "../lib/format";
import { fuelPatternId, fuelStyle } from "../lib/fuels";
import { FuelLegend } from "./analysis/fuel-key";
import { ChartFrame, truncate, useWidth } from "./chart-frame";

export interface BarChartProps {
  plants: TopPlant[];
  title: string;
  /** What each bar measures; the plant's net generation unless given (e.g. one fuel's). */
  measure?: (plant: TopPlant) => number | null;
}

const ROW = 28;
const WIDE_LABEL = 220;
/** Below this width the names go on their own line above each bar (phones). */
const NARROW = 520;
const VALUE_ROOM = 76;
/** Wide layout: the value is followed by the fuel's name ("31.5 TWh · Nuclear"). */
const WIDE_VALUE_ROOM = 170;

/** Horizontal domain including zero, so negative plants (pumped storage) extend left of it. */
export function chartDomain(values: (number | null)[]): [number, number] {
  const known = values.filter((v): v is number => v !== null);
  const min = Math.min(0, ...known);
  const max = Math.max(0, ...known);
  return min === max ? [0, 1] : [min, max];
}

/**
 * One bar per plant, in table order, measured from a zero line: positive to the right, negative
 * to the left, unknown generation written as "unknown" with no bar (it is not zero).
 */
export function BarChart({ plants, title, measure = (p) => p.netGenerationMwh }: BarChartProps) {
  const [width, svgRef] = useWidth();
  const narrow = width < NARROW;
  const labelWidth = narrow ? 0 : WIDE_LABEL;
  const rowHeight = narrow ? ROW + 18 : ROW;
  const [min, max] = chartDomain(plants.map(measure));
  const left = labelWidth + (min < 0 ? VALUE_ROOM : 8);
  const right = width - (narrow ? VALUE_ROOM : WIDE_VALUE_ROOM);
  const x = (v: number) => left + ((v - min) / (max - min)) * Math.max(right - left, 1);
  const zero = x(0);
  const height = plants.length * rowHeight + 8;

  return (
    <ChartFrame
      class="chart"
      id="chart-title"
      title={title}
      svg={{ ref: svgRef, width: "100%", height, viewBox: `0 0 ${width} ${height}`, class: "bar-chart" }}
      after={
        plants.some((p) => p.primaryFuelCategory) && (
          <FuelLegend categories={plants.map((p) => p.primaryFuelCategory)} />
        )
      }
    >
      {!narrow && <line x1={zero} x2={zero} y1={0} y2={height} class="zero-line" />}
      {plants.map((p, i) => {
        const y = i * rowHeight + 4;
        const barY = narrow ? y + 18 : y;
        const v = measure(p);
        const fuel = fuelStyle(p.primaryFuelCategory);
        const fuelName = p.primaryFuelCategory ? fuel.label : "fuel not in file";
        // The fuel's name is written on every row: the colour and pattern are never the only cue.
        const label = (
          <text x={narrow ? 0 : labelWidth - 8} y={y + 14} class="bar-label" text-anchor={narrow ? "start" : "end"}>
            {narrow ? `${truncate(`${p.rank}. ${p.name}`, 34)} · ${fuelName}` : truncate(`${p.rank}. ${p.name}`, 30)}
          </text>
        );
        if (v === null) {
          return (
            <g key={p.plantId} class="bar-row" data-value="unknown">
              <title>{`${p.name} (${fuelName}): net generation unknown`}</title>
              {label}
              {narrow && <line x1={zero} x2={zero} y1={barY} y2={barY + ROW - 2} class="zero-line" />}
              <text x={zero + 4} y={barY + 14} class="bar-value unknown">
                unknown
              </text>
            </g>
          );
        }
        // Narrow layout: the zero line is drawn per bar so it does not cross the names above.
        const tick = narrow && <line x1={zero} x2={zero} y1={barY} y2={barY + ROW - 2} class="zero-line" />;
        const end = x(v);
        const barX = Math.min(zero, end);
        return (
          <g key={p.plantId} class="bar-row" data-value={String(v)} data-fuel={fuel.category}>
            <title>{`${p.name} (${fuelName}): ${formatExactMwh(v)}`}</title>
            {label}
            {tick}
            <rect
              class={v < 0 ? "bar negative" : "bar"}
              fill={p.primaryFuelCategory ? `url(#${fuelPatternId(p.primaryFuelCategory)})` : undefined}
              x={barX}
              y={barY + 3}
              // At least 1 px so a tiny non-zero plant is visible; exactly 0 MWh draws nothing.
              width={v === 0 ? 0 : Math.max(Math.abs(end - zero), 1)}
              height={ROW - 8}
            />
            <text
              x={v < 0 ? barX - 4 : barX + Math.abs(end - zero) + 4}
              y={barY + 14}
              class="bar-value"
              text-anchor={v < 0 ? "end" : "start"}
            >
              {narrow ? formatEnergy(v) : `${formatEnergy(v)} · ${fuelName}`}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}
