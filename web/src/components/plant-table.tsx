import type { TopPlant } from "../lib/api";
import { formatCount, formatEnergy, formatExactMwh, formatPercent } from "../lib/format";
import { ScrollRegion } from "./scroll-region";

export interface PlantTableProps {
  plants: TopPlant[];
  caption: string;
  /** Called with a plant's id when its name is activated (opens its generators). */
  onOpen?: (plantId: string) => void;
}

/**
 * The ranked plants as a data table (caption, column and row headers). Plant names are rendered
 * as JSX text, so markup in a name (`<script>`) is shown literally, never parsed.
 */
export function PlantTable({ plants, caption, onOpen }: PlantTableProps) {
  return (
    <ScrollRegion label={`${caption} (scrollable table)`}>
      <table class="plants">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              Rank
            </th>
            <th scope="col">Plant</th>
            <th scope="col">State</th>
            <th scope="col" class="num">
              Net generation
            </th>
            <th scope="col" class="num">
              Share of state
            </th>
            <th scope="col" class="num">
              Generators
            </th>
            <th scope="col">Primary fuel</th>
          </tr>
        </thead>
        <tbody>
          {plants.map((p) => (
            <tr key={p.plantId}>
              <td class="num">{p.rank}</td>
              <th scope="row" class="plant-name">
                {onOpen ? (
                  <button type="button" class="link" onClick={() => onOpen(p.plantId)}>
                    {p.name}
                  </button>
                ) : (
                  p.name
                )}
              </th>
              <td>{p.state}</td>
              <td class="num">
                <Generation plant={p} />
              </td>
              <td class="num">{formatPercent(p.shareOfStatePct)}</td>
              <td class="num">
                {formatCount(p.generatorCount)}
                {p.unknownGeneratorCount > 0 && (
                  <span class="note"> ({formatCount(p.unknownGeneratorCount)} unknown)</span>
                )}
              </td>
              <td>{p.primaryFuel ?? <span class="muted">not in file</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** Readable figure on screen; the exact MWh in the tooltip and for screen readers. */
function Generation({ plant }: { plant: TopPlant }) {
  const mwh = plant.netGenerationMwh;
  if (mwh === null) {
    return (
      <span class="unknown" title="No generator of this plant reports net generation">
        unknown
      </span>
    );
  }
  const exact = formatExactMwh(mwh);
  return (
    <data value={String(mwh)} title={exact} class={mwh < 0 ? "negative" : undefined}>
      <span aria-hidden="true">{formatEnergy(mwh)}</span>
      <span class="visually-hidden">{exact}</span>
    </data>
  );
}
