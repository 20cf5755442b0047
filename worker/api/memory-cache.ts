/**
 * A least-recently-used map bounded by a total "size" (bytes for text, 1 per entry for small
 * records), for memos that live in isolate memory. A Workers isolate has 128 MB and may be evicted
 * at any time, so a memo must be bounded and must only hold what can be recomputed or re-read.
 *
 * @example
 * const pages = new MemoryCache<string>({ maxSize: 8_000_000, sizeOf: (s) => s.length });
 * pages.set(key, text);
 * pages.get(key); // the text, now the most recently used entry
 */
export class MemoryCache<V> {
  readonly #entries = new Map<string, { value: V; size: number; until: number }>();
  readonly #maxSize: number;
  readonly #sizeOf: (value: V) => number;
  #size = 0;

  constructor(options: { maxSize: number; sizeOf?: (value: V) => number }) {
    if (!(options.maxSize > 0)) throw new Error("MemoryCache maxSize must be positive");
    this.#maxSize = options.maxSize;
    this.#sizeOf = options.sizeOf ?? (() => 1);
  }

  /** The value, or undefined when absent or past its `until` (then it is dropped). */
  get(key: string, now = Date.now()): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.until <= now) {
      this.#size -= entry.size;
      return undefined;
    }
    // Re-inserted last: a Map keeps insertion order, so the first key is the least recently used.
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value` until the time `until` (ms since the epoch; default forever), evicting the least recently used. */
  set(key: string, value: V, until = Number.POSITIVE_INFINITY): void {
    const size = this.#sizeOf(value);
    this.delete(key);
    // One entry larger than a quarter of the budget would flush most others: not worth keeping.
    if (size > this.#maxSize / 4) return;
    this.#entries.set(key, { value, size, until });
    this.#size += size;
    while (this.#size > this.#maxSize) {
      const oldest = this.#entries.keys().next().value as string;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#size -= entry.size;
  }

  clear(): void {
    this.#entries.clear();
    this.#size = 0;
  }

  /** Total size of the entries held (for tests and logs). */
  get size(): number {
    return this.#size;
  }
}
