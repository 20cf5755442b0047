import type { ActiveDataset } from "../publication/active";
import { ProblemError } from "./problem";

/**
 * The dataset for `year` among the published ones, or the latest year when absent. 404 problem when there is none,
 * naming the years that have data.
 */
export function datasetForYear(all: ActiveDataset[], year: number | undefined): ActiveDataset {
  const found = year === undefined ? all[0] : all.find((d) => d.year === year);
  if (found) return found;
  const years = all.map((d) => d.year);
  throw new ProblemError(
    404,
    "no-data",
    "No data for this year",
    year === undefined
      ? "no dataset is published: none has been ingested yet, or an owner withdrew every year; an owner can upload an eGRID GEN CSV with POST /api/v1/uploads or publish a stored version with POST /api/v1/datasets/{year}/active"
      : `no dataset for year ${year}; years with data: ${years.length ? years.join(", ") : "none yet"}`,
    { availableYears: years },
  );
}

/** Source of a dataset as shown in `meta.source`. */
export function sourceOf(d: ActiveDataset): { key: string | null; ingestedAt: string | null } {
  return { key: d.objectKey, ingestedAt: d.completedAt ? new Date(d.completedAt).toISOString() : null };
}
