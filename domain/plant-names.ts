/**
 * The comparable form of a plant name ("name key"): ASCII letters lower-cased, Latin accents
 * dropped, punctuation turned into spaces, runs of spaces collapsed. Plants are matched across
 * years by (state, name key) when a file has no ORISPL, and searched by word prefixes of it.
 * The same mapping exists twice, as JS (queries) and as SQL (precompute, migration backfill),
 * built from one table so the two cannot drift: SQLite's lower() folds ASCII only, so JS does too.
 */

/** Accented letters (both cases, as eGRID names carry them) and their plain letter. */
const ACCENTS: Readonly<Record<string, string>> = {
  a: "áàâäãåÁÀÂÄÃÅ",
  c: "çÇ",
  e: "éèêëÉÈÊË",
  i: "íìîïÍÌÎÏ",
  n: "ñÑ",
  o: "óòôöõøÓÒÔÖÕØ",
  u: "úùûüÚÙÛÜ",
  y: "ýÿÝ",
};

/** Characters that separate words; anything else stays part of a word. */
const SEPARATORS = '.,;:/\\-_&+()[]"#!?*@%=|<>~`^$\t';
/** Characters dropped without a space, so "O'Brien" reads "obrien" and "Ranch's" reads "ranchs". */
const DROPPED = "'’";

const REPLACEMENTS: ReadonlyArray<readonly [string, string]> = [
  ...Object.entries(ACCENTS).flatMap(([plain, accented]) => [...accented].map((a) => [a, plain] as const)),
  ...[...SEPARATORS].map((s) => [s, " "] as const),
  ...[...DROPPED].map((d) => [d, ""] as const),
];
const REPLACE = new Map(REPLACEMENTS);

/** The name key of a plant name (see the module comment). */
export function nameKey(name: string): string {
  let out = "";
  for (const ch of name) {
    const mapped = REPLACE.get(ch);
    if (mapped !== undefined) out += mapped;
    else out += ch >= "A" && ch <= "Z" ? ch.toLowerCase() : ch;
  }
  return out.split(" ").filter(Boolean).join(" ");
}

/** The words of a search text, in the name key's form, longest first (the most selective). */
export function searchWords(text: string): string[] {
  const words = [...new Set(nameKey(text).split(" ").filter(Boolean))];
  return words.sort((a, b) => b.length - a.length || a.localeCompare(b));
}

/** The smallest string greater than every string starting with `prefix`: the end of its index range. */
export function prefixEnd(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}

const sqlText = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Collapse passes: each halves runs of spaces, so 5 passes collapse runs of up to 32. */
const COLLAPSE_PASSES = 5;
/** replace() calls per statement: D1 refuses an expression nested deeper than 100. */
const REPLACES_PER_STEP = 30;

/**
 * The SQL steps that turn `column`, holding lower(name), into the name key: the same mapping as
 * nameKey(), cut into expressions of at most REPLACES_PER_STEP nested replace() calls. Each step
 * is meant for the rows that `needsStep` selects (names of plain letters, digits and single
 * spaces, most of them, need none: each replace() copies the string).
 */
export function nameKeySteps(column: string): string[] {
  const steps: string[] = [];
  for (let i = 0; i < REPLACEMENTS.length; i += REPLACES_PER_STEP) {
    let expr = column;
    for (const [from, to] of REPLACEMENTS.slice(i, i + REPLACES_PER_STEP)) {
      expr = `replace(${expr}, ${sqlText(from)}, ${sqlText(to)})`;
    }
    steps.push(expr);
  }
  let collapse = column;
  for (let i = 0; i < COLLAPSE_PASSES; i++) collapse = `replace(${collapse}, '  ', ' ')`;
  steps.push(`trim(${collapse})`);
  return steps;
}

/** SQL test: `column` (lower-cased) holds a character other than a-z, 0-9 and single inner spaces. */
export function needsNameKeyStep(column: string): string {
  return `(${column} GLOB '*[^a-z0-9 ]*' OR ${column} GLOB '*  *' OR ${column} GLOB ' *' OR ${column} GLOB '* ')`;
}
