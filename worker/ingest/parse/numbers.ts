/** Outcome of reading one numeric cell: a number, unknown (NULL), or a reason it is not a number. */
export type NumberCell = { ok: true; value: number | null } | { ok: false; reason: string };

/** Cell texts that eGRID and spreadsheet exports use for "no value". */
const UNKNOWN_TOKENS = new Set(["", "n/a", "na", "--", "null", "none", "#n/a"]);

const PLAIN_INTEGER = /^\d{1,15}$/;
const GROUPED_INTEGER = /^\d{1,3}(?:,\d{3}){1,4}$/;
const UNKNOWN: NumberCell = Object.freeze({ ok: true, value: null });
const ZERO: NumberCell = Object.freeze({ ok: true, value: 0 });

// 20,961 | 1234.5 | -11.383 | (18,847) | .5 | 1.2E+3 — thousands groups must be exactly three
// digits; an exponent (Excel's General format for large and tiny values) only after an
// ungrouped mantissa, as Excel never writes both.
const NUMBER_PATTERN = /^(-)?(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d{1,4})?$/;

/**
 * Reads an eGRID numeric cell. Handles thousands separators (`"20,961"`), accounting negatives
 * with parentheses and leading spaces (`" (11)"`, `" (9,999)"`), plain signed decimals, Excel's
 * scientific notation (`1.2E+3`, `-4.5E-2`), Excel's Accounting zero (a lone `-`, with or
 * without spaces: 0), and the blanks that mean unknown (NULL, never 0): empty, `N/A`, `--`.
 */
export function parseNumberCell(raw: string): NumberCell {
  // Fast paths for the most common cells of a GEN file: plain and grouped counts ("20,961"), blanks.
  if (PLAIN_INTEGER.test(raw)) return { ok: true, value: Number(raw) };
  if (GROUPED_INTEGER.test(raw)) return { ok: true, value: Number(raw.replaceAll(",", "")) };
  let text = raw.trim();
  if (text === "" || (text.length <= 4 && UNKNOWN_TOKENS.has(text.toLowerCase()))) return UNKNOWN;
  // Excel's Accounting format writes zero as a dash padded with spaces (`_(* "-"??_)`).
  if (text === "-") return ZERO;
  let negative = false;
  if (text.startsWith("(") && text.endsWith(")")) {
    negative = true;
    text = text.slice(1, -1).trim();
  }
  const match = NUMBER_PATTERN.exec(text);
  if (
    !match ||
    (match[2] === undefined && match[3] === undefined) ||
    (negative && match[1]) ||
    (match[4] !== undefined && match[2]?.includes(","))
  ) {
    return { ok: false, reason: `"${truncate(raw)}" is not a number` };
  }
  const value = Number(text.replaceAll(",", ""));
  if (!Number.isFinite(value)) return { ok: false, reason: `"${truncate(raw)}" is not a finite number` };
  // " (0)" occurs in real files, and "-0" in hand edits: store 0, never -0.
  if (value === 0) return ZERO;
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
