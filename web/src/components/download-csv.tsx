import { useState } from "preact/hooks";
import { fetchTopCsv } from "../lib/analysis-api";
import { downloadBlob } from "../lib/csv";
import type { FuelCategory } from "../lib/fuels";
import { useFailure, useSession } from "../lib/session-context";
import type { ViewState } from "../lib/url-state";
import { DownloadButton } from "./download-button";

/** File name for a view's CSV, e.g. "egrid-2023-TX-top-5.csv", "egrid-2022-TX-WIND-top-5.csv". */
export function csvFileName(view: ViewState, fuel: FuelCategory | null = null): string {
  return `egrid-${view.year ?? "latest"}-${view.state ?? "US"}${fuel ? `-${fuel}` : ""}-top-${view.n}.csv`;
}

/**
 * Downloads the current result as the API's CSV (format=csv): the same rows with exact MWh.
 * Fetched with the bearer token, then handed to the browser as a Blob download.
 */
export function DownloadCsv({ view, fuel = null }: { view: ViewState; fuel?: FuelCategory | null }) {
  const { session } = useSession();
  const failure = useFailure();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setError(null);
    try {
      const blob = await fetchTopCsv(session.token, { ...view, fuel });
      downloadBlob(csvFileName(view, fuel), blob);
    } catch (e) {
      setError(failure(e, "The download failed; try again.")?.detail ?? null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <DownloadButton label={busy ? "Preparing CSV…" : "Download CSV"} onClick={download} error={error} disabled={busy} />
  );
}
