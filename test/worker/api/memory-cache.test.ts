import { describe, expect, it } from "vitest";
import { MemoryCache } from "../../../worker/api/memory-cache";

describe("MemoryCache", () => {
  it("evicts the least recently used entries once over its size", () => {
    const cache = new MemoryCache<string>({ maxSize: 30, sizeOf: (s) => s.length });
    cache.set("a", "x".repeat(7));
    cache.set("b", "x".repeat(7));
    cache.set("c", "x".repeat(7));
    expect(cache.get("a")).toBeDefined(); // now the most recently used
    cache.set("d", "x".repeat(7)); // 28: all fit
    cache.set("e", "x".repeat(7)); // 35: "b", the least recently used, goes
    expect(cache.get("b")).toBeUndefined();
    expect(["a", "c", "d", "e"].map((k) => cache.get(k) !== undefined)).toEqual([true, true, true, true]);
    expect(cache.size).toBe(28);
  });

  it("keeps no entry larger than a quarter of its size, and replaces a key's value", () => {
    const cache = new MemoryCache<string>({ maxSize: 100, sizeOf: (s) => s.length });
    cache.set("big", "x".repeat(26));
    expect(cache.get("big")).toBeUndefined();
    cache.set("k", "one");
    cache.set("k", "three");
    expect(cache.get("k")).toBe("three");
    expect(cache.size).toBe(5);
  });

  it("drops an entry past its time", () => {
    const cache = new MemoryCache<number>({ maxSize: 10 });
    cache.set("t", 1, 1_000);
    expect(cache.get("t", 999)).toBe(1);
    expect(cache.get("t", 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("refuses a size that is not positive", () => {
    expect(() => new MemoryCache({ maxSize: 0 })).toThrow(/positive/);
  });
});
