import type { ComponentChildren } from "preact";
import { stateName } from "../../../domain/states";
import type { StateTotal } from "../lib/api";
import { formatCount } from "../lib/format";
import { N_MAX, N_MIN } from "../lib/validate";

export interface StateSelectProps {
  totals: StateTotal[];
  value: string | null;
  onChange: (code: string | null) => void;
}

/** All states + each state with data, by full name, with its plant count. */
export function StateSelect({ totals, value, onChange }: StateSelectProps) {
  const options = [...totals].sort((a, b) => stateName(a.code).localeCompare(stateName(b.code)));
  const all = totals.reduce((sum, t) => sum + t.plantCount, 0);
  // A state from a shared link that has no plants this year still shows as chosen.
  if (value && !totals.some((t) => t.code === value)) {
    options.unshift({ code: value, name: stateName(value), plantCount: 0, netGenerationMwh: null });
  }
  return (
    <div class="field">
      <label for="state">State</label>
      <select id="state" value={value ?? ""} onChange={(e) => onChange(e.currentTarget.value || null)}>
        <option value="">All states{totals.length ? ` (${formatCount(all)} plants)` : ""}</option>
        {options.map((t) => (
          <option key={t.code} value={t.code}>
            {`${stateName(t.code)} (${formatCount(t.plantCount)} ${t.plantCount === 1 ? "plant" : "plants"})`}
          </option>
        ))}
      </select>
    </div>
  );
}

export interface NFieldProps {
  text: string;
  error: string | null;
  onInput: (text: string) => void;
}

/** How many plants. Invalid input shows its message inline (aria-invalid + describedby). */
export function NField({ text, error, onInput }: NFieldProps) {
  return (
    <div class="field field-n">
      <label for="n">Plants to show (N)</label>
      <input
        id="n"
        type="text"
        inputMode="numeric"
        autocomplete="off"
        value={text}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? "n-hint n-error" : "n-hint"}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      <span id="n-hint" class="hint">
        {N_MIN} to {N_MAX}
      </span>
      {error && (
        <span id="n-error" class="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

export interface YearSelectProps {
  years: number[];
  value: number | null;
  onChange: (year: number | null) => void;
}

/** Data year; rendered only when more than one year has data. */
export function YearSelect({ years, value, onChange }: YearSelectProps) {
  if (years.length < 2) return null;
  const latest = years[0];
  return (
    <div class="field">
      <label for="year">Year</label>
      <select
        id="year"
        value={value === null ? "" : String(value)}
        onChange={(e) => onChange(e.currentTarget.value ? Number(e.currentTarget.value) : null)}
      >
        <option value="">Latest ({latest})</option>
        {years.map((y) => (
          <option key={y} value={String(y)}>
            {y}
          </option>
        ))}
      </select>
    </div>
  );
}

export interface ChoiceButtonsProps<T extends string> {
  /** The fieldset's class, which styles it ("tabs", "direction"). */
  class: string;
  legend: ComponentChildren;
  /** The legend's class, e.g. "visually-hidden" when the buttons say enough on screen. */
  legendClass?: string;
  /** Each choice's value and button text, in order. */
  choices: [T, string][];
  value: T;
  onChange: (value: T) => void;
}

/** One of a few choices as toggle buttons; the chosen one is pressed (aria-pressed). */
export function ChoiceButtons<T extends string>(props: ChoiceButtonsProps<T>) {
  return (
    <fieldset class={props.class}>
      <legend class={props.legendClass}>{props.legend}</legend>
      {props.choices.map(([value, text]) => (
        <button
          key={value}
          type="button"
          class="secondary"
          aria-pressed={props.value === value}
          onClick={() => props.onChange(value)}
        >
          {text}
        </button>
      ))}
    </fieldset>
  );
}
