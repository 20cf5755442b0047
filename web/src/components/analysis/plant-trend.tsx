import { fetchPlantHistory } from "../../lib/analysis-api";
import { formatCount, formatEnergy, formatExactMwh } from "../../lib/format";
import { FUEL_STYLES, type FuelCategory } from "../../lib/fuels";
import { useApiRequest } from "../../lib/session-context";
import { ScrollRegion } from "../scroll-region";
import { ErrorMessage } from "../status";
import { num, TableHead } from "../table-head";
import { CsvButton } from "./csv-button";
import { StackedColumns } from "./fuel-charts";

/**
 * One plant across every year with data (GET /plants/{plantId}/history): a column per year stacked
 * by fuel, and a table with its national and state rank and how each year was matched.
 */
export function PlantTrend({ plantId, year }: { plantId: string; year: number }) {
  // The year says which file's id this is (STATE:name ids differ between years).
  const history = useApiRequest(`plant-history:${plantId}:${year}`, (t, s) => fetchPlantHistory(t, plantId, year, s));
  if (history.status === "error") return <ErrorMessage error={history.error} onRetry={history.retry} />;
  const h = history.data;
  if (!h) return <p role="status">Loading the plant's years…</p>;
  const entries = h.data;
  const name = h.meta.name;
  const mix = (fuels: { category: string; netGenerationMwh: number | null }[] | null) =>
    Object.fromEntries((fuels ?? []).map((f) => [f.category, f.netGenerationMwh])) as Partial<
      Record<FuelCategory, number | null>
    >;
  return (
    <div class="plant-trend">
      <StackedColumns
        id={`trend-${plantId}`}
        title={`Net generation of ${name} by year and fuel`}
        columns={entries.map((e) => ({ label: String(e.year), byFuel: mix(e.fuels), total: e.netGenerationMwh }))}
      />
      <ScrollRegion label={`Years of ${name} (scrollable table)`}>
        <table class="history cards">
          <caption>{name}, year by year</caption>
          <TableHead
            columns={[
              "Year",
              num("Net generation"),
              num("U.S. rank"),
              num("State rank"),
              num("Generators"),
              "Matched by",
            ]}
          />
          <tbody>
            {entries.map((e) => (
              <tr key={e.year}>
                <th scope="row">{e.year}</th>
                <td class="num" data-label="Net generation" title={formatExactMwh(e.netGenerationMwh)}>
                  {formatEnergy(e.netGenerationMwh)}
                </td>
                <td class="num" data-label="U.S. rank">
                  {e.nationalRank}
                </td>
                <td class="num" data-label="State rank">
                  {e.stateRank}
                </td>
                <td class="num" data-label="Generators">
                  {formatCount(e.generatorCount)}
                </td>
                <td data-label="Matched by">
                  {e.matchedBy === "orispl" ? "plant code (ORISPL)" : `name${e.name !== name ? ` (“${e.name}”)` : ""}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <CsvButton
        fileName={`egrid-plant-${plantId.replace(/[^A-Za-z0-9]+/g, "-")}-history.csv`}
        label="Download years as CSV"
        header={[
          "year",
          "plantId",
          "name",
          "netGenerationMwh",
          "nationalRank",
          "stateRank",
          "generatorCount",
          "matchedBy",
          "category",
          "categoryLabel",
          "categoryNetGenerationMwh",
        ]}
        rows={() =>
          entries.flatMap((e) => {
            const base = [
              e.year,
              e.plantId,
              e.name,
              e.netGenerationMwh,
              e.nationalRank,
              e.stateRank,
              e.generatorCount,
              e.matchedBy,
            ];
            const fuels = e.fuels ?? [];
            if (fuels.length === 0) return [[...base, null, null, null]];
            return fuels.map((f) => [
              ...base,
              f.category,
              FUEL_STYLES[f.category as FuelCategory]?.label ?? f.category,
              f.netGenerationMwh,
            ]);
          })
        }
      />
    </div>
  );
}
