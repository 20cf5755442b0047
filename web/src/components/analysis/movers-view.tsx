import { stateName } from "../../../../domain/states";
import { fetchMovers, MOVERS_MAX, type MoverRow, type MoversResponse } from "../../lib/analysis-api";
import type { AnalysisState } from "../../lib/analysis-url";
import { formatCount, formatEnergy, formatExactMwh } from "../../lib/format";
import { FUEL_STYLES, fuelStyle } from "../../lib/fuels";
import { useApiRequest } from "../../lib/session-context";
import type { ViewState } from "../../lib/url-state";
import { ChoiceButtons } from "../controls";
import { ScrollRegion } from "../scroll-region";
import { ErrorMessage } from "../status";
import { num, TableHead } from "../table-head";
import { ChangeFigure } from "./change-figure";
import { CsvButton } from "./csv-button";
import { FuelSwatch } from "./fuel-key";
import { MoversChart } from "./movers-chart";

export interface MoversViewProps {
  view: ViewState;
  analysis: AnalysisState;
  onDirection: (dir: "up" | "down") => void;
  onOpen: (plantId: string) => void;
}

/** The plants whose net generation changed most against the previous year (GET /plants/movers). */
export function MoversView({ view, analysis, onDirection, onOpen }: MoversViewProps) {
  const q = { year: view.year, state: view.state, fuel: analysis.fuel, n: view.n, direction: analysis.dir };
  const movers = useApiRequest(`movers:${JSON.stringify(q)}`, (t, s) => fetchMovers(t, q, s));
  return (
    <div class="movers">
      <ChoiceButtons
        class="direction"
        legend="Show"
        choices={[
          ["up", "▲ Largest increases"],
          ["down", "▼ Largest decreases"],
        ]}
        value={analysis.dir}
        onChange={onDirection}
      />
      {movers.status === "error" && <ErrorMessage error={movers.error} onRetry={movers.retry} />}
      {!movers.data && movers.status === "loading" && <p role="status">Loading the biggest movers…</p>}
      {movers.data && (
        <MoversResults
          rows={movers.data.data}
          meta={movers.data.meta}
          title={scopeTitle(movers.data.meta)}
          onOpen={onOpen}
          dir={movers.data.meta.direction}
          capped={view.n > MOVERS_MAX}
        />
      )}
    </div>
  );
}

/**
 * "Wind plants in Texas": the scope of the rows on screen, from their own meta (while the next
 * choice loads, the previous rows stay, and so does their title).
 */
function scopeTitle(meta: MoversResponse["meta"]): string {
  const where = meta.state ? stateName(meta.state) : "the United States";
  return `${meta.fuel ? `${FUEL_STYLES[meta.fuel].label} ` : ""}plants in ${where}`;
}

interface ResultsProps {
  rows: MoverRow[];
  meta: MoversResponse["meta"];
  title: string;
  dir: "up" | "down";
  /** N asked for is over what the API gives. */
  capped: boolean;
  onOpen: (plantId: string) => void;
}

function MoversResults({ rows, meta, title, dir, capped, onOpen }: ResultsProps) {
  if (meta.previousYear === null || rows.length === 0) {
    return (
      <p class="empty" role="status">
        {meta.previousYear === null
          ? `No earlier year to compare ${meta.year} with.`
          : `No ${title} changed between ${meta.previousYear} and ${meta.year}.`}
      </p>
    );
  }
  const summary = `${formatCount(meta.total)} ${title} have known generation in both years; showing the ${rows.length} largest ${
    dir === "up" ? "increases" : "decreases"
  }${capped ? ` (the API gives at most ${MOVERS_MAX})` : ""}.`;
  const caption = `Largest ${dir === "up" ? "increases" : "decreases"} in net generation, ${title}, ${meta.previousYear} to ${meta.year}`;
  return (
    <>
      <p class="summary" role="status">
        {summary}
      </p>
      <CsvButton
        fileName={`egrid-movers-${meta.year}-${dir}.csv`}
        label="Download movers as CSV"
        header={[
          "plantId",
          "name",
          "state",
          "primaryFuelCategory",
          "previousYear",
          "previousNetGenerationMwh",
          "year",
          "netGenerationMwh",
          "changeMwh",
          "changePct",
          "matchedBy",
        ]}
        rows={() =>
          rows.map((r) => [
            r.plantId,
            r.name,
            r.state,
            r.primaryFuelCategory,
            r.previous.year,
            r.previous.netGenerationMwh,
            meta.year,
            r.netGenerationMwh,
            r.changeMwh,
            r.changePct,
            r.matchedBy,
          ])
        }
      />
      <ScrollRegion label={`${caption} (scrollable table)`}>
        <table class="cards movers-table">
          <caption>{caption}</caption>
          <TableHead
            columns={["Plant", "State", "Primary fuel", num(meta.previousYear), num(meta.year), num("Change")]}
          />
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.plantId}
                data-fuel={r.primaryFuelCategory ?? undefined}
                style={r.primaryFuelCategory ? { "--fuel": fuelStyle(r.primaryFuelCategory).color } : undefined}
              >
                <th scope="row" class="plant-name">
                  <button type="button" class="link" data-plant-id={r.plantId} onClick={() => onOpen(r.plantId)}>
                    {r.name}
                  </button>
                </th>
                <td data-label="State">{r.state}</td>
                <td data-label="Primary fuel">
                  {r.primaryFuelCategory ? (
                    <FuelSwatch category={r.primaryFuelCategory} />
                  ) : (
                    <span class="muted">not in file</span>
                  )}
                </td>
                <td
                  class="num"
                  data-label={String(meta.previousYear)}
                  title={formatExactMwh(r.previous.netGenerationMwh)}
                >
                  {formatEnergy(r.previous.netGenerationMwh)}
                </td>
                <td class="num" data-label={String(meta.year)} title={formatExactMwh(r.netGenerationMwh)}>
                  {formatEnergy(r.netGenerationMwh)}
                </td>
                <td class="num change-cell" data-label="Change">
                  <ChangeFigure changeMwh={r.changeMwh} changePct={r.changePct} previousYear={r.previous.year} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <MoversChart rows={rows} title={`Change in net generation, ${meta.previousYear} to ${meta.year}`} />
    </>
  );
}
