import { stateName } from "../../../domain/states";
import type { AnalysisState } from "../lib/analysis-url";
import type { TopPlant, TopPlantsResponse } from "../lib/api";
import { formatCount, formatTime } from "../lib/format";
import { FUEL_STYLES } from "../lib/fuels";
import { canManageData } from "../lib/session";
import { type useApiRequest, useSession } from "../lib/session-context";
import type { ViewState } from "../lib/url-state";
import { BarChart } from "./bar-chart";
import { DownloadCsv } from "./download-csv";
import { PlantDetails } from "./plant-details";
import { PlantTable } from "./plant-table";
import { ErrorMessage } from "./status";

type TopRequest = ReturnType<typeof useApiRequest<TopPlantsResponse>>;

export interface TopResultsProps {
  top: TopRequest;
  view: ViewState;
  analysis: AnalysisState;
  /** Opens (or, for the open one, closes) a plant's details. */
  onOpen: (plantId: string | null) => void;
}

/** Chart caption; it explains negative bars and "unknown" only when the rows have them. */
function chartTitle(plants: TopPlant[], what: string, where: string, year: number): string {
  const notes = [
    plants.some((p) => (p.netGenerationMwh ?? 0) < 0) &&
      "bars left of the line are negative (net consumers such as pumped storage)",
    plants.some((p) => p.netGenerationMwh === null) && "unknown = no generator reports generation",
  ].filter(Boolean);
  return `${what}, ${where}, ${year}${notes.length ? ` (${notes.join("; ")})` : ""}`;
}

/** The ranked plants: summary, CSV, table (with a plant's details under it), chart, source. */
export function TopResults({ top, view, analysis, onOpen }: TopResultsProps) {
  const { session } = useSession();
  const openPlant = analysis.plant;
  // Closing returns focus to the plant's name, where the user opened the details (WCAG 2.4.3).
  const closeDetails = () => {
    const id = openPlant;
    onOpen(null);
    const buttons = document.querySelectorAll<HTMLButtonElement>("button[data-plant-id]");
    [...buttons].find((b) => b.dataset.plantId === id)?.focus();
  };
  if (top.status === "error" && top.error.status === 404) {
    // Not a failure: nothing ingested yet (or not for this year). Say so, and what to do.
    return (
      <div class="empty" role="status">
        <p>
          <strong>No data to show yet.</strong> {top.error.detail}
        </p>
        {canManageData(session) && (
          <p>
            <a href="/ingestions">Upload an eGRID GEN file</a> to load one.
          </p>
        )}
      </div>
    );
  }
  if (top.status === "error") return <ErrorMessage error={top.error} onRetry={top.retry} />;
  if (!top.data) {
    return (
      <p class="loading" role="status">
        Loading plants…
      </p>
    );
  }
  const { data, meta } = top.data;
  const where = meta.state ? stateName(meta.state) : "the United States";
  // The rows' own ranking (the answer's meta), not the fuel just picked: while the next ranking
  // loads, the rows shown are still the previous one's and must be labelled as such.
  const fuel = meta.fuel;
  const fuelLabel = fuel ? FUEL_STYLES[fuel].label : null;
  const stale = top.status === "loading";
  const details = openPlant && <PlantDetails plantId={openPlant} year={meta.year} onClose={closeDetails} />;
  // A plant opened from the search box (or a link) may not be among the rows: details on top.
  const inRows = data.some((p) => p.plantId === openPlant);
  if (data.length === 0) {
    return (
      <>
        {!inRows && details}
        <p class="empty" role="status">
          No {fuelLabel ? `${fuelLabel.toLowerCase()} ` : ""}plants in {where} for {meta.year}.
        </p>
      </>
    );
  }
  const ranked = fuelLabel ? `ranked by ${fuelLabel.toLowerCase()} net generation` : "ranked by annual net generation";
  const caption = `Top ${data.length} ${fuelLabel ? `${fuelLabel.toLowerCase()} ` : ""}plants in ${where}, ${meta.year}, ${ranked}`;
  return (
    <div class={stale ? "stale" : undefined}>
      {!inRows && details}
      <p class="summary" role="status">
        {stale ? "Updating… " : ""}
        {`${formatCount(meta.total)} ${fuelLabel ? `plants with ${fuelLabel.toLowerCase()} generation` : "plants"} in ${where} in ${meta.year}; `}
        {data.length < view.n
          ? `all ${data.length} shown (fewer than the ${view.n} asked for).`
          : `showing the ${data.length} largest.`}
        {" Exact MWh: tap or hover a figure, or download the CSV."}
      </p>
      <DownloadCsv view={{ ...view, year: meta.year }} fuel={fuel} />
      <PlantTable
        plants={data}
        caption={caption}
        fuel={fuel}
        onOpen={(id) => onOpen(id === openPlant ? null : id)}
        openId={openPlant}
        details={inRows && details}
      />
      <BarChart
        plants={data}
        measure={fuel ? (p) => p.fuelNetGenerationMwh ?? null : undefined}
        title={chartTitle(data, fuelLabel ? `${fuelLabel} net generation` : "Net generation", where, meta.year)}
      />
      <p class="source muted">
        Source: EPA eGRID {meta.year}
        {meta.source.key ? `, file ${meta.source.key}` : ""}
        {meta.source.ingestedAt ? `, ingested ${formatTime(meta.source.ingestedAt)}` : ""}.
      </p>
    </div>
  );
}
