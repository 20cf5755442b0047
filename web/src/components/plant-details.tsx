import { useEffect, useRef, useState } from "preact/hooks";
import { stateName } from "../../../domain/states";
import { type ApiError, fetchPlant, type PlantDetailResponse } from "../lib/api";
import { formatCount, formatEnergy, formatExactMwh } from "../lib/format";
import { fuelCategoryOf } from "../lib/fuels";
import { useApiRequest, useFailure, useSession } from "../lib/session-context";
import { lazyView } from "../routing/lazy-view";
import { CsvButton } from "./analysis/csv-button";
import { FuelSwatch } from "./analysis/fuel-key";
import { ScrollRegion } from "./scroll-region";
import { ErrorMessage } from "./status";
import { type Column, num, TableHead } from "./table-head";

// The trend across years is a chunk of its own (chart + table), loaded when a plant is opened.
const PlantTrend = lazyView("plant trend", () => import("./analysis/plant-trend").then((m) => m.PlantTrend));

export interface PlantDetailsProps {
  plantId: string;
  year: number;
  onClose: () => void;
}

type Generator = PlantDetailResponse["data"]["generators"][number];

const GENERATOR_COLUMNS: Column[] = [
  "Generator",
  num("Net generation"),
  "Status",
  "Prime mover",
  "Fuel",
  num("Capacity"),
  num("Year online"),
  num("File line"),
];

/** Pages after the first, fetched on "Show more" (GET /plants/{plantId}?cursor=...). */
function useMoreGenerators(plantId: string, year: number, first: PlantDetailResponse | null) {
  const { session } = useSession();
  const failure = useFailure();
  const [pages, setPages] = useState<{ generators: Generator[]; nextCursor: string | null } | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // A new plant, year or first page starts over.
  useEffect(() => {
    setPages(null);
    setError(null);
  }, [plantId, year, first]);
  const nextCursor = pages ? pages.nextCursor : (first?.meta.nextCursor ?? null);
  const showMore = async () => {
    if (!nextCursor || loading) return;
    setLoading(true);
    setError(null);
    try {
      const page = await fetchPlant(session.token, plantId, year, undefined, nextCursor);
      setPages((p) => ({
        generators: [...(p?.generators ?? []), ...page.data.generators],
        nextCursor: page.meta.nextCursor,
      }));
    } catch (e) {
      setError(failure(e));
    } finally {
      setLoading(false);
    }
  };
  return { generators: pages?.generators ?? [], nextCursor, loading, error, showMore };
}

/** One plant's generators (GET /plants/{plantId}), opened from the table, a page at a time. */
export function PlantDetails({ plantId, year, onClose }: PlantDetailsProps) {
  const plant = useApiRequest(`plant:${plantId}:${year}`, (token, signal) => fetchPlant(token, plantId, year, signal));
  const more = useMoreGenerators(plantId, year, plant.status === "ok" ? plant.data : null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const loaded = plant.status === "ok";
  useEffect(() => {
    if (!loaded) return;
    headingRef.current?.focus();
    headingRef.current?.scrollIntoView?.({ block: "nearest" });
  }, [loaded]);

  const close = (
    <button type="button" class="secondary" onClick={onClose}>
      Close
    </button>
  );
  if (plant.status === "error") {
    return (
      <section class="plant-details" aria-label="Plant details">
        <ErrorMessage error={plant.error} onRetry={plant.retry} />
        {close}
      </section>
    );
  }
  const p = plant.data?.data;
  if (!p) return <p role="status">Loading plant…</p>;
  const generators = [...p.generators, ...more.generators];
  return (
    <section class="plant-details" aria-labelledby="plant-heading">
      <h3 id="plant-heading" ref={headingRef} tabIndex={-1}>
        {p.name}, {stateName(p.state)}
      </h3>
      <p>
        {formatEnergy(p.netGenerationMwh)} in {year} ({formatExactMwh(p.netGenerationMwh)}) from{" "}
        {formatCount(p.generatorCount)} generators
        {p.unknownGeneratorCount > 0 ? `, ${formatCount(p.unknownGeneratorCount)} of them with unknown generation` : ""}
        {p.orispl !== null ? `. EIA plant code (ORISPL) ${p.orispl}` : ""}.
      </p>
      <PlantTrend plantId={plantId} year={year} />
      <ScrollRegion label={`Generators of ${p.name} (scrollable table)`}>
        <table class="generators">
          <caption>
            Generators of {p.name}
            {generators.length < p.generatorCount
              ? ` (first ${formatCount(generators.length)} of ${formatCount(p.generatorCount)}, in file order)`
              : ""}
          </caption>
          <TableHead columns={GENERATOR_COLUMNS} />
          <tbody>
            {generators.map((g) => (
              <tr key={g.line}>
                <th scope="row">{g.generatorId}</th>
                <td class="num" title={formatExactMwh(g.netGenerationMwh)}>
                  {g.netGenerationMwh === null ? (
                    <span class="unknown">unknown</span>
                  ) : (
                    formatEnergy(g.netGenerationMwh)
                  )}
                </td>
                <td>{g.status ?? "—"}</td>
                <td>{g.primeMover ?? "—"}</td>
                <td>{g.fuel ? <FuelSwatch category={fuelCategoryOf(g.fuel)} label={g.fuel} /> : "—"}</td>
                <td class="num">{g.capacityMw === null ? "—" : `${formatCount(g.capacityMw)} MW`}</td>
                <td class="num">{g.yearOnline ?? "—"}</td>
                <td class="num">{g.line}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {more.error && <ErrorMessage error={more.error} onRetry={more.showMore} />}
      {more.nextCursor && (
        <button type="button" onClick={more.showMore} disabled={more.loading} aria-busy={more.loading}>
          {more.loading ? "Loading more generators…" : "Show more generators"}
        </button>
      )}{" "}
      <CsvButton
        fileName={`egrid-${year}-plant-${plantId.replace(/[^A-Za-z0-9]+/g, "-")}-generators.csv`}
        label="Download generators as CSV"
        header={[
          "line",
          "generatorId",
          "netGenerationMwh",
          "status",
          "primeMover",
          "fuel",
          "fuelCategory",
          "capacityMw",
          "capacityFactor",
          "yearOnline",
          "yearRetired",
        ]}
        rows={() =>
          generators.map((g) => [
            g.line,
            g.generatorId,
            g.netGenerationMwh,
            g.status,
            g.primeMover,
            g.fuel,
            fuelCategoryOf(g.fuel),
            g.capacityMw,
            g.capacityFactor,
            g.yearOnline,
            g.yearRetired,
          ])
        }
      />
      {close}
    </section>
  );
}
