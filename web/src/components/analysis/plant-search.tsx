import { useEffect, useRef, useState } from "preact/hooks";
import { searchPlants } from "../../lib/analysis-api";
import { formatEnergy } from "../../lib/format";
import { useApiRequest } from "../../lib/session-context";

export interface PlantSearchProps {
  year: number | null;
  /** A plant was chosen: open it. */
  onPick: (plantId: string) => void;
}

/** Wait after the last keystroke before asking the API: one request per pause, not per key. */
const DEBOUNCE_MS = 250;

/**
 * A search box for plants by name (GET /plants?search=), as an ARIA 1.2 combobox: type at least
 * two letters, Down/Up walk the matches, Enter (or a click) opens the plant, Escape closes the list.
 */
export function PlantSearch({ year, onPick }: PlantSearchProps) {
  const [text, setText] = useState("");
  const [term, setTerm] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActiveState] = useState(-1);
  // Keys can arrive faster than renders: Enter must see the option the last arrow chose.
  const activeRef = useRef(-1);
  const setActive = (next: number | ((i: number) => number)) => {
    activeRef.current = typeof next === "function" ? next(activeRef.current) : next;
    setActiveState(activeRef.current);
  };
  useEffect(() => {
    const timer = setTimeout(() => setTerm(text.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const asking = term.length >= 2;
  const found = useApiRequest(asking ? `search:${term}:${year}` : null, (token, signal) =>
    searchPlants(token, term, year, signal),
  );
  const matches = asking ? (found.data?.data ?? []) : [];
  useEffect(() => setActive(-1), [term]);
  const expanded = open && matches.length > 0;

  const pick = (plantId: string) => {
    setOpen(false);
    setText("");
    setTerm("");
    onPick(plantId);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "ArrowDown" && matches.length) {
      e.preventDefault();
      setOpen(true);
      setActive((i) => (i + 1) % matches.length);
    } else if (e.key === "ArrowUp" && matches.length) {
      e.preventDefault();
      setActive((i) => (i <= 0 ? matches.length - 1 : i - 1));
    } else if (e.key === "Enter") {
      e.preventDefault();
      const chosen = matches[Math.max(activeRef.current, 0)];
      if (chosen) pick(chosen.plantId);
    } else if (e.key === "Escape") {
      setOpen(false);
    }
  };
  const optionId = (i: number) => `plant-search-option-${i}`;

  return (
    <div class="field plant-search">
      <label for="plant-search">Find a plant</label>
      <input
        id="plant-search"
        type="search"
        // biome-ignore lint/a11y/noRedundantRoles: a search input is a searchbox unless told; ARIA 1.2 combobox
        role="combobox"
        list={undefined}
        autocomplete="off"
        spellcheck={false}
        placeholder="Name, e.g. Palo Verde"
        value={text}
        aria-expanded={expanded}
        aria-controls="plant-search-list"
        aria-autocomplete="list"
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        onInput={(e) => {
          setText(e.currentTarget.value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <div id="plant-search-list" role="listbox" aria-label="Matching plants" hidden={!expanded}>
        {matches.map((m, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/useFocusableInteractive: ARIA 1.2 combobox option; the input owns focus and keys (aria-activedescendant)
          <div
            key={m.plantId}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(m.plantId)}
          >
            <span class="name">{m.name}</span>{" "}
            <span class="muted">
              {m.state} · {formatEnergy(m.netGenerationMwh)}
            </span>
          </div>
        ))}
      </div>
      {open && asking && matches.length === 0 && found.status === "ok" && (
        <span class="hint" role="status">
          No plant named like “{term}”
        </span>
      )}
      {found.status === "error" && (
        <span class="error" role="alert">
          {found.error.detail}
        </span>
      )}
    </div>
  );
}
