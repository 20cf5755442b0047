import { useEffect, useState } from "preact/hooks";
import type { StateTotal } from "../lib/api";
import { formatEnergy, formatExactMwh } from "../lib/format";
import type { UsGeometry } from "../lib/us-geometry";
import { ChartFrame } from "./chart-frame";

export interface UsMapProps {
  totals: StateTotal[];
  selected: string | null;
  onSelect: (code: string | null) => void;
  year: number | null;
  /** Colour by one fuel's share of each state's net generation instead of by the total. */
  share?: MapShare | null;
}

/** Per state, a fuel's share of its net generation in per cent (null: unknown or no fuel column). */
export interface MapShare {
  fuelLabel: string;
  pct: Map<string, number | null>;
}

// Sequential blues from light to dark; both ends keep a visible edge against white.
const LOW = [222, 235, 247];
const HIGH = [8, 48, 107];

/** Fill for a state total: square-root scale so mid-sized states are not all pale. */
export function fillFor(value: number | null, max: number): string {
  if (value === null || max <= 0) return "#d9d9d9";
  const t = Math.sqrt(Math.max(value, 0) / max);
  const c = LOW.map((lo, i) => Math.round(lo + ((HIGH[i] as number) - lo) * t));
  return `rgb(${c.join(",")})`;
}

/**
 * The U.S. coloured by state net generation; clicking a state selects it (again: all states).
 * The geometry loads on first render through a dynamic import. The state dropdown is the
 * keyboard equivalent, and the only way to reach Puerto Rico, which the atlas does not draw.
 */
export function UsMap({ totals, selected, onSelect, year, share = null }: UsMapProps) {
  const [geometry, setGeometry] = useState<UsGeometry | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    import("../lib/us-geometry")
      .then((m) => live && setGeometry(m.buildUsGeometry()))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, []);

  const byCode = new Map(totals.map((t) => [t.code, t]));
  const valueFor = (code: string) =>
    share ? (share.pct.get(code) ?? null) : (byCode.get(code)?.netGenerationMwh ?? null);
  const max = share
    ? Math.max(0, ...[...share.pct.values()].map((v) => v ?? 0))
    : Math.max(0, ...totals.map((t) => t.netGenerationMwh ?? 0));
  const measure = share ? `${share.fuelLabel}'s share of net generation` : "Net generation";
  const caption = `${measure} by state${year ? `, ${year}` : ""}. Click a state to show its plants.`;
  const describe = (name: string, value: number | null, plantCount: number) =>
    share
      ? `${name}: ${share.fuelLabel} ${value === null ? "unknown" : `${value.toFixed(1)}%`} of net generation`
      : `${name}: ${formatEnergy(value)} (${formatExactMwh(value)}), ${plantCount} plants`;

  if (failed) return <p class="muted">The map could not be loaded; use the state list above.</p>;
  if (!geometry) {
    return (
      <div class="map-placeholder" aria-busy="true">
        Loading map…
      </div>
    );
  }
  return (
    <ChartFrame
      class="map"
      id="map-title"
      title={caption}
      svg={{ viewBox: `0 0 ${geometry.width} ${geometry.height}`, class: "us-map" }}
      after={max > 0 && <Legend max={share ? `${max.toFixed(1)}%` : formatEnergy(max)} />}
    >
      {geometry.states.map((s) => {
        const total = byCode.get(s.code);
        const value = valueFor(s.code);
        const isSelected = s.code === selected;
        return (
          // biome-ignore lint/a11y/noStaticElementInteractions: pointer shortcut only; the State dropdown is the keyboard and screen-reader control for the same choice
          <path
            key={s.code}
            d={s.d}
            fill={fillFor(value, max)}
            class={isSelected ? "state selected" : "state"}
            data-state={s.code}
            onClick={() => onSelect(isSelected ? null : s.code)}
          >
            <title>{total ? describe(s.name, value, total.plantCount) : `${s.name}: no plants in this dataset`}</title>
          </path>
        );
      })}
      <path d={geometry.borders} class="borders" />
      {selected && <SelectedOutline geometry={geometry} code={selected} />}
    </ChartFrame>
  );
}

/** The selected state drawn again on top, so its outline is not hidden by neighbours. */
function SelectedOutline({ geometry, code }: { geometry: UsGeometry; code: string }) {
  const shape = geometry.states.find((s) => s.code === code);
  return shape ? <path d={shape.d} class="selected-outline" /> : null;
}

function Legend({ max }: { max: string }) {
  return (
    <div class="legend" aria-hidden="true">
      <span>0</span>
      <span
        class="legend-ramp"
        style={{ background: `linear-gradient(to right, ${fillFor(0, 1)}, ${fillFor(1, 1)})` }}
      />
      <span>{max}</span>
      <span class="legend-none">
        <span class="swatch" /> no data
      </span>
    </div>
  );
}
