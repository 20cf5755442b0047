import { useEffect, useRef, useState } from "preact/hooks";
import { stateName } from "../../../domain/states";
import { BarChart } from "../components/bar-chart";
import { NField, StateSelect, YearSelect } from "../components/controls";
import { DownloadCsv } from "../components/download-csv";
import { PlantDetails } from "../components/plant-details";
import { PlantTable } from "../components/plant-table";
import { ErrorMessage } from "../components/status";
import { UsMap } from "../components/us-map";
import { fetchStates, fetchTopPlants, fetchYears, type TopPlant, type TopPlantsResponse } from "../lib/api";
import { formatCount } from "../lib/format";
import { canManageData } from "../lib/session";
import { useApiRequest, useSession } from "../lib/session-context";
import { navigate, parseViewLink, parseViewState, useLocation, type ViewState, viewToSearch } from "../lib/url-state";
import { validateN } from "../lib/validate";

/** The analyst's view: pick a state, N and year; see the ranked plants as table, chart and map. */
export function ExplorerPage() {
  const location = useLocation();
  const view = parseViewState(location.search);
  const [linkNotes, setLinkNotes] = useState<string[]>([]);
  const [nText, setNText] = useState(String(view.n));
  const [nError, setNError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

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
    const { problems } = parseViewLink(location.search);
    if (problems.length === 0) return;
    setLinkNotes(problems);
    navigate(location.path + viewToSearch(view), { replace: true });
  }, [location.search]);

  const go = (patch: Partial<ViewState>, kind: "select" | "typing" = "select") => {
    setLinkNotes([]);
    navigate(location.path + viewToSearch({ ...view, ...patch }), { kind });
  };

  const onNInput = (text: string) => {
    setNText(text);
    const check = validateN(text);
    setNError(check.ok ? null : check.message);
    // Invalid N: the message is shown and no request is made (the URL keeps the last valid N).
    if (check.ok) go({ n: check.value }, "typing");
  };

  const years = useApiRequest("years", (token, signal) => fetchYears(token, signal));
  const states = useApiRequest(`states:${view.year}`, (token, signal) => fetchStates(token, view.year, signal));
  const topKey = `top:${view.state}:${view.n}:${view.year}`;
  const top = useApiRequest(topKey, (token, signal) => fetchTopPlants(token, view, signal));

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
    navigate(location.path + viewToSearch({ ...view, year: null }), { replace: true });
  }, [missingYear]);
  const totals = states.data?.data ?? [];
  const shownYear = top.data?.meta.year ?? states.data?.meta.year ?? view.year;

  return (
    <main id="main" class="explorer">
      <h1 ref={headingRef} tabIndex={-1}>
        Top power plants by net generation
      </h1>
      {linkNotes.length > 0 && <LinkNotice notes={linkNotes} onDismiss={() => setLinkNotes([])} />}
      <div class="layout">
        <section class="side" aria-label="Choose what to show">
          <form class="controls" onSubmit={(e) => e.preventDefault()}>
            <StateSelect totals={totals} value={view.state} onChange={(state) => go({ state })} />
            <NField text={nText} error={nError} onInput={onNInput} />
            <YearSelect years={yearList} value={view.year} onChange={(year) => go({ year })} />
          </form>
          {/* "No data" (404) is explained once, in the results; other failures are shown here. */}
          {states.status === "error" && states.error.status !== 404 && (
            <ErrorMessage error={states.error} onRetry={states.retry} />
          )}
          <UsMap
            totals={totals}
            selected={view.state}
            year={states.data?.meta.year ?? null}
            onSelect={(state) => go({ state })}
          />
        </section>
        <section class="results" aria-labelledby="results-heading" aria-busy={top.status === "loading"}>
          <h2 id="results-heading">{resultsTitle(view, shownYear)}</h2>
          <Results top={top} view={view} />
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

function resultsTitle(view: ViewState, year: number | null): string {
  const where = view.state ? stateName(view.state) : "the United States";
  return `Top ${view.n} in ${where}${year ? `, ${year}` : ""}`;
}

/** Chart caption; it explains negative bars and "unknown" only when the rows have them. */
function chartTitle(plants: TopPlant[], where: string, year: number): string {
  const notes = [
    plants.some((p) => (p.netGenerationMwh ?? 0) < 0) &&
      "bars left of the line are negative (net consumers such as pumped storage)",
    plants.some((p) => p.netGenerationMwh === null) && "unknown = no generator reports generation",
  ].filter(Boolean);
  return `Net generation, ${where}, ${year}${notes.length ? ` (${notes.join("; ")})` : ""}`;
}

type TopRequest = ReturnType<typeof useApiRequest<TopPlantsResponse>>;

function Results({ top, view }: { top: TopRequest; view: ViewState }) {
  const { session } = useSession();
  const [openPlant, setOpenPlant] = useState<string | null>(null);
  const viewKey = `${view.state}:${view.year}`;
  // A different state or year closes the details (the plant may not be in the new rows).
  useEffect(() => setOpenPlant(null), [viewKey]);
  // Closing returns focus to the plant's name, where the user opened the details (WCAG 2.4.3).
  const closeDetails = () => {
    const id = openPlant;
    setOpenPlant(null);
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
  const stale = top.status === "loading";
  if (data.length === 0) {
    return (
      <p class="empty" role="status">
        No plants in {where} for {meta.year}.
      </p>
    );
  }
  const caption = `Top ${data.length} plants in ${where}, ${meta.year}, ranked by annual net generation`;
  return (
    <div class={stale ? "stale" : undefined}>
      <p class="summary" role="status">
        {stale ? "Updating… " : ""}
        {`${formatCount(meta.total)} plants in ${where} in ${meta.year}; `}
        {data.length < view.n
          ? `all ${data.length} shown (fewer than the ${view.n} asked for).`
          : `showing the ${data.length} largest.`}
        {" Exact MWh: tap or hover a figure, or download the CSV."}
      </p>
      <DownloadCsv view={{ ...view, year: meta.year }} />
      <PlantTable
        plants={data}
        caption={caption}
        onOpen={setOpenPlant}
        openId={openPlant}
        details={openPlant && <PlantDetails plantId={openPlant} year={meta.year} onClose={closeDetails} />}
      />
      <BarChart plants={data} title={chartTitle(data, where, meta.year)} />
      <p class="source muted">
        Source: EPA eGRID {meta.year}
        {meta.source.key ? `, file ${meta.source.key}` : ""}
        {meta.source.ingestedAt ? `, ingested ${new Date(meta.source.ingestedAt).toLocaleString()}` : ""}.
      </p>
    </div>
  );
}
