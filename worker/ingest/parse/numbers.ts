/** Outcome of reading one numeric cell: a number, unknown (NULL), or a reason it is not a number. */
export type NumberCell = { ok: true; value: number | null } | { ok: false; reason: string };

/** Cell texts that eGRID and spreadsheet exports use for "no value". */
const UNKNOWN_TOKENS = new Set(["", "n/a", "na", "--", "-", "null", "none", "#n/a"]);

const PLAIN_INTEGER = /^\d{1,15}$/;
const GROUPED_INTEGER = /^\d{1,3}(?:,\d{3}){1,4}$/;
const UNKNOWN: NumberCell = Object.freeze({ ok: true, value: null });

// 20,961 | 1234.5 | -11.383 | (18,847) | .5 — thousands groups must be exactly three digits.
const NUMBER_PATTERN = /^(-)?(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?$/;

/**
 * Reads an eGRID numeric cell. Handles thousands separators (`"20,961"`), accounting negatives
 * with parentheses and leading spaces (`" (11)"`, `" (9,999)"`), plain signed decimals, and the
 * blanks that mean unknown (NULL, never 0).
 */
export function parseNumberCell(raw: string): NumberCell {
  // Fast paths for the most common cells of a GEN file: plain and grouped counts ("20,961"), blanks.
  if (PLAIN_INTEGER.test(raw)) return { ok: true, value: Number(raw) };
  if (GROUPED_INTEGER.test(raw)) return { ok: true, value: Number(raw.replaceAll(",", "")) };
  let text = raw.trim();
  if (text === "" || (text.length <= 4 && UNKNOWN_TOKENS.has(text.toLowerCase()))) return UNKNOWN;
  let negative = false;
  if (text.startsWith("(") && text.endsWith(")")) {
    negative = true;
    text = text.slice(1, -1).trim();
  }
  const match = NUMBER_PATTERN.exec(text);
  if (!match || (match[2] === undefined && match[3] === undefined) || (negative && match[1])) {
    return { ok: false, reason: `"${truncate(raw)}" is not a number` };
  }
  const value = Number(text.replaceAll(",", ""));
  if (!Number.isFinite(value)) return { ok: false, reason: `"${truncate(raw)}" is not a finite number` };
  // " (0)" occurs in real files, and "-0" in hand edits: store 0, never -0.
  if (value === 0) return { ok: true, value: 0 };
  return { ok: true, value: negative ? -value : value };
}

/** Like parseNumberCell, but the value must be a whole number (years, codes, sequence numbers). */
export function parseIntegerCell(raw: string): NumberCell {
  const cell = parseNumberCell(raw);
  if (cell.ok && cell.value !== null && !Number.isSafeInteger(cell.value)) {
    return { ok: false, reason: `"${truncate(raw)}" is not a whole number` };
  }
  return cell;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
