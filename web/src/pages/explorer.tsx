import { useEffect, useState } from "preact/hooks";
import { stateName } from "../../../domain/states";
import { CsvButton } from "../components/analysis/csv-button";
import { FuelPatterns } from "../components/analysis/fuel-key";
import { FuelSelect } from "../components/analysis/fuel-select";
import { PlantSearch } from "../components/analysis/plant-search";
import { useMapShare } from "../components/analysis/use-map-share";
import { ChoiceButtons, NField, StateSelect, YearSelect } from "../components/controls";
import { PageHeading } from "../components/page-heading";
import { ErrorMessage } from "../components/status";
import { TopResults } from "../components/top-results";
import { UsMap } from "../components/us-map";
import { fetchTop } from "../lib/analysis-api";
import { type AnalysisState, fullSearch, parseAnalysisLink } from "../lib/analysis-url";
import { fetchStates, fetchYears } from "../lib/api";
import { FUEL_STYLES } from "../lib/fuels";
import { useApiRequest } from "../lib/session-context";
import { navigate, parseViewLink, useLocation, type ViewState } from "../lib/url-state";
import { validateN } from "../lib/validate";
import { lazyView } from "../routing/lazy-view";

// The movers view and the state's fuel panel are chunks of their own, fetched on first use.
const MoversView = lazyView("biggest movers", () =>
  import("../components/analysis/movers-view").then((m) => m.MoversView),
);
const StatePanel = lazyView("fuel mix", () => import("../components/analysis/state-panel").then((m) => m.StatePanel));

/** The analyst's view: pick a state, N, year and fuel; see the ranked plants or the movers. */
export function ExplorerPage() {
  const location = useLocation();
  const view = parseViewLink(location.search).view;
  const analysis = parseAnalysisLink(location.search).analysis;
  const [linkNotes, setLinkNotes] = useState<string[]>([]);
  const [nText, setNText] = useState(String(view.n));
  const [nError, setNError] = useState<string | null>(null);

  // Back/forward (or a new link) changed N: show it in the box.
  useEffect(() => {
    const typed = validateN(nText);
    if (!typed.ok || typed.value !== view.n) {
      setNText(String(view.n));
      setNError(null);
    }
  }, [view.n]);

  // A link with bad parameters: explain each one and correct the URL in place (no new history
  // entry), so the address bar matches what is shown and sharing it again passes on a good link.
  useEffect(() => {
    const problems = [...parseViewLink(location.search).problems, ...parseAnalysisLink(location.search).problems];
    if (problems.length === 0) return;
    setLinkNotes(problems);
    navigate(location.path + fullSearch(view, analysis), { replace: true });
  }, [location.search]);

  const go = (patch: Partial<ViewState>, more: Partial<AnalysisState> = {}, kind: "select" | "typing" = "select") => {
    setLinkNotes([]);
    navigate(location.path + fullSearch({ ...view, ...patch }, { ...analysis, ...more }), { kind });
  };

  const onNInput = (text: string) => {
    setNText(text);
    const check = validateN(text);
    setNError(check.ok ? null : check.message);
    // Invalid N: the message is shown and no request is made (the URL keeps the last valid N).
    if (check.ok) go({ n: check.value }, {}, "typing");
  };

  const years = useApiRequest("years", (token, signal) => fetchYears(token, signal));
  const states = useApiRequest(`states:${view.year}`, (token, signal) => fetchStates(token, view.year, signal));
  const topQuery = { ...view, fuel: analysis.fuel };
  const top = useApiRequest(analysis.tab === "top" ? `top:${JSON.stringify(topQuery)}` : null, (token, signal) =>
    fetchTop(token, topQuery, signal),
  );

  const yearList = years.data?.data.map((y) => y.year) ?? [];
  // A well-formed year with no published data (year=1999): same treatment as a malformed one.
  const missingYear = view.year !== null && years.data !== null && !yearList.includes(view.year);
  useEffect(() => {
    if (!missingYear || view.year === null) return;
    const latest = yearList[0];
    setLinkNotes((notes) => [
      ...notes,
      latest
        ? `year ${view.year} has no published data; showing the latest year (${latest}).`
        : `year ${view.year} has no published data.`,
    ]);
    navigate(location.path + fullSearch({ ...view, year: null }, analysis), { replace: true });
  }, [missingYear]);
  const totals = states.data?.data ?? [];
  const shownYear = top.data?.meta.year ?? states.data?.meta.year ?? view.year;
  const mapShare = useMapShare(
    analysis.map,
    states.data?.meta.year ?? null,
    totals.map((t) => t.code),
  );
  const openPlant = (plant: string | null) => go({}, { plant });

  return (
    <main id="main" class="explorer">
      <FuelPatterns />
      <PageHeading>Top power plants by net generation</PageHeading>
      {linkNotes.length > 0 && <LinkNotice notes={linkNotes} onDismiss={() => setLinkNotes([])} />}
      <div class="layout">
        <section class="side" aria-label="Choose what to show">
          <PlantSearch year={view.year} onPick={(plant) => go({}, { plant, tab: "top" })} />
          <form class="controls" onSubmit={(e) => e.preventDefault()}>
            <StateSelect totals={totals} value={view.state} onChange={(state) => go({ state }, { plant: null })} />
            <NField text={nText} error={nError} onInput={onNInput} />
            <YearSelect years={yearList} value={view.year} onChange={(year) => go({ year })} />
            <FuelSelect
              id="fuel"
              label="Fuel"
              noneLabel="All fuels"
              value={analysis.fuel}
              onChange={(fuel) => go({}, { fuel, plant: null })}
            />
          </form>
          {/* "No data" (404) is explained once, in the results; other failures are shown here. */}
          {states.status === "error" && states.error.status !== 404 && (
            <ErrorMessage error={states.error} onRetry={states.retry} />
          )}
          <FuelSelect
            id="map-colour"
            label="Colour the map by"
            noneLabel="Net generation"
            value={analysis.map}
            onChange={(map) => go({}, { map })}
          />
          {mapShare?.status === "error" && <ErrorMessage error={mapShare.error} onRetry={mapShare.retry} />}
          <UsMap
            totals={totals}
            selected={view.state}
            year={states.data?.meta.year ?? null}
            onSelect={(state) => go({ state }, { plant: null })}
            share={mapShare?.data ?? null}
          />
          {totals.length > 0 && (
            <CsvButton
              fileName={`egrid-${states.data?.meta.year}-states${mapShare?.data ? `-${analysis.map}-share` : ""}.csv`}
              label="Download map as CSV"
              header={[
                "code",
                "name",
                "plantCount",
                "netGenerationMwh",
                ...(mapShare?.data ? ["fuel", "sharePct"] : []),
              ]}
              rows={() =>
                totals.map((t) => [
                  t.code,
                  t.name,
                  t.plantCount,
                  t.netGenerationMwh,
                  ...(mapShare?.data ? [analysis.map, mapShare.data.pct.get(t.code) ?? null] : []),
                ])
              }
            />
          )}
          {totals.length > 0 && <StatePanel state={view.state} year={shownYear} />}
        </section>
        <section class="results" aria-labelledby="results-heading" aria-busy={top.status === "loading"}>
          <ChoiceButtons
            class="tabs"
            legend="View"
            legendClass="visually-hidden"
            choices={[
              ["top", "Top plants"],
              ["movers", "Biggest movers"],
            ]}
            value={analysis.tab}
            onChange={(tab) => go({}, { tab })}
          />
          <h2 id="results-heading">{resultsTitle(view, analysis, shownYear)}</h2>
          {analysis.tab === "movers" ? (
            <MoversView
              view={view}
              analysis={analysis}
              onDirection={(dir) => go({}, { dir })}
              onOpen={(plant) => go({}, { plant, tab: "top" })}
            />
          ) : (
            <TopResults top={top} view={view} analysis={analysis} onOpen={openPlant} />
          )}
        </section>
      </div>
    </main>
  );
}

/** What was wrong with the link that opened this view, and what is shown instead. */
function LinkNotice({ notes, onDismiss }: { notes: string[]; onDismiss: () => void }) {
  return (
    <div class="notice link-notice" role="status">
      <p>
        <strong>This link was corrected:</strong>
      </p>
      <ul>
        {notes.map((note) => (
          <li key={note}>{`${note.charAt(0).toUpperCase()}${note.slice(1)}`}</li>
        ))}
      </ul>
      <button type="button" class="secondary" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

function resultsTitle(view: ViewState, analysis: AnalysisState, year: number | null): string {
  const where = view.state ? stateName(view.state) : "the United States";
  const fuel = analysis.fuel ? ` ${FUEL_STYLES[analysis.fuel].label.toLowerCase()}` : "";
  if (analysis.tab === "movers") return `Biggest${fuel} movers in ${where}${year ? `, ${year}` : ""}`;
  return `Top ${view.n}${fuel} in ${where}${year ? `, ${year}` : ""}`;
}
