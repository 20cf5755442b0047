import { type FuelMixEntry, fetchStateHistory, fetchStateSummary, type StateSummary } from "../../lib/analysis-api";
import { formatCount, formatEnergy, formatExactMwh } from "../../lib/format";
import { FUEL_STYLES } from "../../lib/fuels";
import { useApiRequest } from "../../lib/session-context";
import { ErrorMessage } from "../status";
import { CsvButton } from "./csv-button";
import { type ByFuel, MixBar, StackedColumns } from "./fuel-charts";

export interface StatePanelProps {
  /** Two-letter code, or null for the nation. */
  state: string | null;
  year: number | null;
}

/** The fuel entries as a category -> MWh record (what the charts draw). */
export function byFuel(fuels: FuelMixEntry[] | null): ByFuel {
  return Object.fromEntries((fuels ?? []).map((f) => [f.category, f.netGenerationMwh]));
}

/**
 * The fuel mix of the chosen state and of the nation for the year (GET /states/{code} and
 * /states/US), and the state's mix across years (GET /states/{code}/history).
 */
export function StatePanel({ state, year }: StatePanelProps) {
  const code = state ?? "US";
  const here = useApiRequest(`state:${code}:${year}`, (t, s) => fetchStateSummary(t, code, year, s));
  const nation = useApiRequest(state ? `state:US:${year}` : null, (t, s) => fetchStateSummary(t, "US", year, s));
  const history = useApiRequest(`state-history:${code}`, (t, s) => fetchStateHistory(t, code, s));

  if (here.status === "error") return <ErrorMessage error={here.error} onRetry={here.retry} />;
  const d = here.data?.data;
  if (!d) return <p role="status">Loading the fuel mix…</p>;
  const us = state ? nation.data?.data : d;
  const years = history.data?.data ?? [];
  return (
    <section class="state-panel" aria-labelledby="state-panel-heading">
      <h2 id="state-panel-heading">
        Fuel mix, {d.name}, {d.year}
      </h2>
      <p>
        {formatEnergy(d.netGenerationMwh)} from {formatCount(d.plantCount)} plants
        {d.capacityMw !== null ? `, ${formatCount(Math.round(d.capacityMw))} MW of capacity` : ""}.
        {d.topPlant && ` Largest: ${d.topPlant.name} (${formatEnergy(d.topPlant.netGenerationMwh)}).`}
      </p>
      {d.fuels === null ? (
        <p class="notice">The {d.year} file has no fuel column (FUELG1): no fuel mix for this year.</p>
      ) : (
        <>
          <MixBar label={d.name} mix={byFuel(d.fuels)} />
          {state && us?.fuels && <MixBar label={`${us.name} (nation)`} mix={byFuel(us.fuels)} />}
        </>
      )}
      {years.length > 0 && (
        <StackedColumns
          id="state-trend-title"
          title={`Net generation by fuel, ${d.name}, ${yearSpan(years)}`}
          columns={years.map((y) => ({ label: String(y.year), byFuel: byFuel(y.fuels), total: y.netGenerationMwh }))}
        />
      )}
      {years.some((y) => y.fuels === null) && (
        <p class="note">Years without a fuel column show their total only, as a plain blue column.</p>
      )}
      <CsvButton
        fileName={`egrid-fuel-mix-${code}.csv`}
        label="Download fuel mix as CSV"
        header={["scope", "year", "category", "label", "netGenerationMwh", "capacityMw", "sharePct"]}
        rows={() => mixRows(state && us ? [d, us, ...years] : [d, ...years])}
      />
      <p class="visually-hidden">{years.map((y) => `${y.year}: ${formatExactMwh(y.netGenerationMwh)}`).join("; ")}</p>
    </section>
  );
}

function mixRows(summaries: StateSummary[]) {
  const seen = new Set<string>();
  return summaries.flatMap((s) => {
    const key = `${s.code}:${s.year}`;
    if (seen.has(key)) return [];
    seen.add(key);
    if (!s.fuels) return [[s.code, s.year, "ALL", "All fuels", s.netGenerationMwh, s.capacityMw, null]];
    return s.fuels.map((f) => [
      s.code,
      s.year,
      f.category,
      FUEL_STYLES[f.category].label,
      f.netGenerationMwh,
      f.capacityMw,
      f.sharePct,
    ]);
  });
}

/** "2021–2023", or "2023" when the history holds one year. */
export function yearSpan(years: readonly { year: number }[]): string {
  const first = years[0]?.year;
  const last = years[years.length - 1]?.year;
  return first === last ? String(first) : `${first}–${last}`;
}
