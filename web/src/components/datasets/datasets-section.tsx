import { fetchDatasets } from "../../lib/api";
import { formatCount } from "../../lib/format";
import { useApiRequest } from "../../lib/session-context";
import { ErrorMessage } from "../status";
import { YearDatasetsCard } from "./year-datasets";

export interface DatasetsSectionProps {
  /** Changes whenever the ingestions change (a file finished), so the datasets reload with them. */
  version: string;
  /** Called after a publish or withdraw succeeded, so the rest of the page refreshes. */
  onChanged: () => void;
}

/** Owners: per year, which version is published, its history, and Publish / Withdraw. */
export function DatasetsSection({ version, onChanged }: DatasetsSectionProps) {
  const datasets = useApiRequest(`datasets:${version}`, (token, signal) => fetchDatasets(token, signal));
  const years = datasets.data?.data ?? [];
  const storage = datasets.data?.storage;
  return (
    <section class="datasets" aria-labelledby="datasets-heading">
      <h2 id="datasets-heading">Datasets</h2>
      <p class="hint">
        Each year serves one published version. A newer upload is published when it completes, unless it looks like a
        mistake (then it is held). Publish any stored version to switch back; withdraw a year to stop serving it.
      </p>
      {datasets.status === "error" && <ErrorMessage error={datasets.error} onRetry={datasets.retry} />}
      {!datasets.data && datasets.status === "loading" && <p role="status">Loading datasets…</p>}
      {storage && (
        <p class="storage">
          Rows stored, all versions: {formatCount(storage.generators)} generators, {formatCount(storage.plants)} plants,{" "}
          {formatCount(storage.plantParts)} plant parts.
        </p>
      )}
      {datasets.data && years.length === 0 && (
        <p class="empty">No complete dataset yet. Upload an eGRID GEN file above.</p>
      )}
      {years.map((y) => (
        <YearDatasetsCard
          key={y.year}
          year={y}
          onChanged={() => {
            datasets.retry();
            onChanged();
          }}
        />
      ))}
    </section>
  );
}
