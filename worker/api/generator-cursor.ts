import { fromBase64Url, toBase64Url } from "../auth/encoding";
import { ProblemError } from "./problem";

/** Where a page of a plant's generators ended: the part's chunk and the index in its seqs. */
export interface GeneratorPosition {
  chunk: number;
  pos: number;
}

const VERSION = 1;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function badCursor(detail: string): ProblemError {
  return new ProblemError(400, "invalid-parameter", "Invalid request parameter", detail, {
    errors: [{ in: "query", name: "cursor", detail }],
  });
}

/**
 * The opaque `cursor` of the next page. It names the dataset version and plant it belongs to, so
 * a cursor kept across a re-import (or pasted onto another plant) is refused instead of silently
 * continuing somewhere else.
 */
export function encodeGeneratorCursor(datasetVersion: string, plantId: string, at: GeneratorPosition): string {
  return toBase64Url(encoder.encode(JSON.stringify([VERSION, datasetVersion, plantId, at.chunk, at.pos])));
}

/** The position a cursor names; ProblemError 400 saying what to do when it is not a usable cursor. */
export function decodeGeneratorCursor(cursor: string, datasetVersion: string, plantId: string): GeneratorPosition {
  let parts: unknown;
  try {
    parts = JSON.parse(decoder.decode(fromBase64Url(cursor)));
  } catch {
    parts = null;
  }
  if (
    !Array.isArray(parts) ||
    parts.length !== 5 ||
    parts[0] !== VERSION ||
    typeof parts[1] !== "string" ||
    typeof parts[2] !== "string" ||
    !Number.isSafeInteger(parts[3]) ||
    !Number.isSafeInteger(parts[4])
  ) {
    throw badCursor(
      "cursor is not a cursor this API issued; pass meta.nextCursor of the previous page unchanged, or omit cursor for the first page",
    );
  }
  if (parts[1] !== datasetVersion) {
    throw badCursor(
      `cursor belongs to dataset version ${parts[1]}, but the data now served is version ${datasetVersion} (the year was re-imported); start again without cursor`,
    );
  }
  if (parts[2] !== plantId) {
    throw badCursor(`cursor belongs to plant "${parts[2]}", not "${plantId}"; omit cursor for this plant's first page`);
  }
  return { chunk: parts[3], pos: parts[4] };
}
