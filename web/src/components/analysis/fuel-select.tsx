import { FUEL_CATEGORIES, FUEL_STYLES, type FuelCategory } from "../../lib/fuels";

export interface FuelSelectProps {
  id: string;
  label: string;
  value: FuelCategory | null;
  /** The first option, for "no fuel chosen" ("All fuels", "Net generation"). */
  noneLabel: string;
  onChange: (fuel: FuelCategory | null) => void;
}

/** A choice of EPA fuel category (or none), by name. */
export function FuelSelect({ id, label, value, noneLabel, onChange }: FuelSelectProps) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value ?? ""}
        onChange={(e) => onChange((e.currentTarget.value || null) as FuelCategory | null)}
      >
        <option value="">{noneLabel}</option>
        {FUEL_CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {FUEL_STYLES[c].label}
          </option>
        ))}
      </select>
    </div>
  );
}
