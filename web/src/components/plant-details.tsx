import { useEffect, useRef } from "preact/hooks";
import { fetchPlant } from "../lib/api";
import { formatCount, formatEnergy, formatExactMwh } from "../lib/format";
import { useApiRequest } from "../lib/session-context";
import { stateName } from "../lib/states";
import { ScrollRegion } from "./scroll-region";
import { ErrorMessage } from "./status";

export interface PlantDetailsProps {
  plantId: string;
  year: number;
  onClose: () => void;
}

/** One plant's generators (GET /plants/{plantId}), opened from the table. */
export function PlantDetails({ plantId, year, onClose }: PlantDetailsProps) {
  const plant = useApiRequest(`plant:${plantId}:${year}`, (token, signal) => fetchPlant(token, plantId, year, signal));
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
      <ScrollRegion label={`Generators of ${p.name} (scrollable table)`}>
        <table>
          <caption>Generators of {p.name}</caption>
          <thead>
            <tr>
              <th scope="col">Generator</th>
              <th scope="col" class="num">
                Net generation
              </th>
              <th scope="col">Status</th>
              <th scope="col">Prime mover</th>
              <th scope="col">Fuel</th>
              <th scope="col" class="num">
                Capacity
              </th>
              <th scope="col" class="num">
                File line
              </th>
            </tr>
          </thead>
          <tbody>
            {p.generators.map((g) => (
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
                <td>{g.fuel ?? "—"}</td>
                <td class="num">{g.capacityMw === null ? "—" : `${formatCount(g.capacityMw)} MW`}</td>
                <td class="num">{g.line}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {close}
    </section>
  );
}
