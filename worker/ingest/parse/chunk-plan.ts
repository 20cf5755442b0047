/** A byte range of an object that begins and ends on record boundaries. */
export interface ChunkRange {
  byteStart: number;
  byteEnd: number;
  /** Physical line number of the range's first byte. */
  firstLine: number;
}

const QUOTE = 0x22;
const LINE_FEED = 0x0a;

/**
 * Splits the data part of an object into ranges of about `targetBytes`, each ending just after
 * a line feed that is outside any quoted field, so no record (not even one with newlines inside
 * quotes) is cut. Scans the bytes once; holds one piece at a time.
 */
export async function planChunks(
  source: AsyncIterable<Uint8Array>,
  options: { dataStart: number; firstDataLine: number; size: number; targetBytes: number },
): Promise<ChunkRange[]> {
  const { dataStart, size, targetBytes } = options;
  const ranges: ChunkRange[] = [];
  let rangeStart = dataStart;
  let rangeLine = options.firstDataLine;
  let nextCut = dataStart + targetBytes;
  let offset = dataStart;
  let line = options.firstDataLine;
  let inQuotes = false;
  for await (const bytes of source) {
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      if (byte === QUOTE) inQuotes = !inQuotes;
      else if (byte === LINE_FEED) {
        line++;
        const end = offset + i + 1;
        if (!inQuotes && end >= nextCut && end < size) {
          ranges.push({ byteStart: rangeStart, byteEnd: end, firstLine: rangeLine });
          rangeStart = end;
          rangeLine = line;
          nextCut = end + targetBytes;
        }
      }
    }
    offset += bytes.length;
  }
  if (rangeStart < size || ranges.length === 0)
    ranges.push({ byteStart: rangeStart, byteEnd: size, firstLine: rangeLine });
  return ranges;
}
