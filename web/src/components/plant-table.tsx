import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { TopPlant } from "../lib/api";
import { formatCount, formatEnergy, formatExactMwh, formatPercent } from "../lib/format";
import { FUEL_STYLES, type FuelCategory } from "../lib/fuels";
import { ChangeFigure } from "./analysis/change-figure";
import { FuelSwatch } from "./analysis/fuel-key";
import { ScrollRegion } from "./scroll-region";
import { type Column, num, TableHead } from "./table-head";

export interface PlantTableProps {
  plants: TopPlant[];
  caption: string;
  /** Called with a plant's id when its name is activated (opens its generators). */
  onOpen?: (plantId: string) => void;
  /** The plant whose details are open; `details` is shown in a row right below it. */
  openId?: string | null;
  details?: ComponentChildren;
  /** The fuel filter: adds the plant's generation from that fuel, which ranks the rows. */
  fuel?: FuelCategory | null;
}

/**
 * The ranked plants as a data table (caption, column and row headers). Plant names are rendered
 * as JSX text, so markup in a name (`<script>`) is shown literally, never parsed.
 */
export function PlantTable({ plants, caption, onOpen, openId, details, fuel = null }: PlantTableProps) {
  const fuelLabel = fuel ? FUEL_STYLES[fuel].label : null;
  const columns: Column[] = [
    num("Rank"),
    "Plant",
    "State",
    ...(fuelLabel ? [num(fuelLabel)] : []),
    num(fuel ? "Plant total" : "Net generation"),
    num(
      <>
        Change<span class="visually-hidden"> against the previous year</span>
      </>,
    ),
    num("Share of state"),
    num("Generators"),
    "Primary fuel",
  ];
  return (
    <ScrollRegion label={`${caption} (scrollable table)`}>
      <table class={fuel ? "plants cards by-fuel" : "plants cards"}>
        <caption>{caption}</caption>
        <TableHead columns={columns} />
        <tbody>
          {plants.map((p) => [
            <tr
              key={p.plantId}
              data-fuel={p.primaryFuelCategory ?? undefined}
              style={p.primaryFuelCategory ? { "--fuel": FUEL_STYLES[p.primaryFuelCategory].color } : undefined}
            >
              <td class="num rank">{p.rank}</td>
              <th scope="row" class="plant-name">
                {onOpen ? (
                  <button
                    type="button"
                    class="link"
                    data-plant-id={p.plantId}
                    aria-expanded={p.plantId === openId}
                    onClick={() => onOpen(p.plantId)}
                  >
                    {p.name}
                  </button>
                ) : (
                  p.name
                )}
              </th>
              <td class="state" data-label="State">
                {p.state}
              </td>
              {fuelLabel && (
                <td class="num fuel-gen" data-label={fuelLabel ?? undefined}>
                  <Generation mwh={p.fuelNetGenerationMwh ?? null} />
                </td>
              )}
              <td class="num gen" data-label={fuel ? "Plant total" : "Net generation"}>
                <Generation mwh={p.netGenerationMwh} />
              </td>
              <td class="num change-cell" data-label="Change">
                <ChangeFigure changeMwh={p.changeMwh} changePct={p.changePct} previousYear={p.previous?.year ?? null} />
              </td>
              <td class="num share" data-label="Share of state">
                {formatPercent(p.shareOfStatePct)}
              </td>
              <td class="num gens" data-label="Generators">
                {formatCount(p.generatorCount)}
                {p.unknownGeneratorCount > 0 && (
                  <span class="note"> ({formatCount(p.unknownGeneratorCount)} unknown)</span>
                )}
              </td>
              <td class="fuel" data-label="Primary fuel">
                {p.primaryFuel === null && p.primaryFuelCategory === null ? (
                  <span class="muted">not in file</span>
                ) : (
                  <>
                    <FuelSwatch category={p.primaryFuelCategory} />
                    {p.primaryFuel && <span class="note"> ({p.primaryFuel})</span>}
                  </>
                )}
              </td>
            </tr>,
            // Details open where the name was clicked, not below a list that can be 1000 rows long.
            p.plantId === openId && details ? (
              <tr key={`${p.plantId}-details`} class="details-row">
                <td colSpan={columns.length}>{details}</td>
              </tr>
            ) : null,
          ])}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/**
 * Readable figure on screen; the exact MWh in the tooltip, for screen readers, and on a tap or
 * click (touch screens have no hover), which toggles the figure in place.
 */
function Generation({ mwh }: { mwh: number | null }) {
  const [showExact, setShowExact] = useState(false);
  if (mwh === null) {
    return (
      <span class="unknown" title="No generator of this plant reports net generation">
        unknown
      </span>
    );
  }
  const exact = formatExactMwh(mwh);
  return (
    <button type="button" class="figure" aria-pressed={showExact} onClick={() => setShowExact((v) => !v)}>
      <data value={String(mwh)} title={exact} class={mwh < 0 ? "negative" : undefined}>
        {showExact ? (
          exact
        ) : (
          <>
            <span aria-hidden="true">{formatEnergy(mwh)}</span>
            <span class="visually-hidden">{exact}</span>
          </>
        )}
      </data>
    </button>
  );
}
