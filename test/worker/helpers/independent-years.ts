import type { IndependentPlant } from "./independent-fuels";

// An independent reading of plant identity across years for the change tests: names compared by
// Unicode decomposition (not domain/plant-names.ts's table), ranks by a plain sort.

/** A name as compared across years: accents, case and punctuation ignored. */
export function looseName(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const byName = (a: IndependentPlant, b: IndependentPlant) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Net generation descending, unknown last, ties by name: top-N's order. */
export function ranked(plants: Iterable<IndependentPlant>): IndependentPlant[] {
  return [...plants].sort((a, b) => {
    if (a.net === null || b.net === null) return a.net === b.net ? byName(a, b) : a.net === null ? 1 : -1;
    return b.net - a.net || byName(a, b);
  });
}

/** Ranks of every plant in the nation and in its state. */
export function ranks(plants: Map<string, IndependentPlant>) {
  const national = new Map<string, number>();
  const state = new Map<string, number>();
  const seen = new Map<string, number>();
  ranked(plants.values()).forEach((p, i) => {
    national.set(p.key, i + 1);
    const n = (seen.get(p.state) ?? 0) + 1;
    seen.set(p.state, n);
    state.set(p.key, n);
  });
  return { national, state };
}

const nameIndexes = new WeakMap<Map<string, IndependentPlant>, Map<string, IndependentPlant[]>>();

/** A year's plants by state and loose name, built once per year. */
function byStateAndName(plants: Map<string, IndependentPlant>): Map<string, IndependentPlant[]> {
  let index = nameIndexes.get(plants);
  if (!index) {
    index = new Map();
    for (const p of plants.values()) {
      const key = `${p.state}|${looseName(p.name)}`;
      index.set(key, [...(index.get(key) ?? []), p]);
    }
    nameIndexes.set(plants, index);
  }
  return index;
}

/** The plant of `earlier` that is `plant`: same ORISPL when both files have it, else same state and name. */
export function matchIn(
  plant: IndependentPlant,
  earlier: Map<string, IndependentPlant>,
  bothHaveOrispl: boolean,
): { match: IndependentPlant; by: "orispl" | "name" } | null {
  if (bothHaveOrispl) {
    const match = earlier.get(plant.key);
    return match ? { match, by: "orispl" } : null;
  }
  const candidates = byStateAndName(earlier).get(`${plant.state}|${looseName(plant.name)}`) ?? [];
  const match = ranked(candidates)[0];
  return match ? { match, by: "name" } : null;
}

/** Change against the earlier value, as the API rounds it. */
export function change(current: number, previous: number) {
  const mwh = Math.round((current - previous) * 1000) / 1000;
  return { mwh, pct: previous === 0 ? null : Math.round((mwh / Math.abs(previous)) * 100 * 100) / 100 };
}
