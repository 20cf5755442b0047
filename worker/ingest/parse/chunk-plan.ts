import { RecordScanner } from "./record-scanner";

/** A byte range of an object that begins and ends on record boundaries. */
export interface ChunkRange {
  byteStart: number;
  byteEnd: number;
  /** Physical line number of the range's first byte. */
  firstLine: number;
}

/**
 * Splits the data part of an object into ranges of about `targetBytes`, each ending just after a
 * record's line break as papaparse sees it (see RecordScanner: quotes open only at a field's
 * start), so no record is cut, whatever the chunk size. Scans the bytes once; holds one piece at a time.
 */
export async function planChunks(
  source: AsyncIterable<Uint8Array>,
  options: { dataStart: number; firstDataLine: number; size: number; targetBytes: number },
): Promise<ChunkRange[]> {
  const { dataStart, firstDataLine, size, targetBytes } = options;
  const ranges: ChunkRange[] = [];
  let rangeStart = dataStart;
  let rangeLine = firstDataLine;
  let nextCut = dataStart + targetBytes;
  const scanner = new RecordScanner(false);
  const cutAt = (recordEnd: number) => {
    const end = dataStart + recordEnd;
    if (end < nextCut || end >= size) return;
    ranges.push({ byteStart: rangeStart, byteEnd: end, firstLine: rangeLine });
    rangeStart = end;
    rangeLine = firstDataLine + scanner.lineBreaks;
    nextCut = end + targetBytes;
  };
  for await (const bytes of source) scanner.scan(bytes, cutAt);
  scanner.finish(cutAt);
  if (rangeStart < size || ranges.length === 0)
    ranges.push({ byteStart: rangeStart, byteEnd: size, firstLine: rangeLine });
  return ranges;
}
