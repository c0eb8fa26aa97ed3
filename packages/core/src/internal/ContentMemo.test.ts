import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ContentMemo } from "./ContentMemo.js";

/** A new string object with the same content, as JSON.parse makes one for every request. */
const fresh = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

describe("ContentMemo: a memo keyed by the content of long strings", () => {
  it("finds an entry from a new string object with the same content", () => {
    const memo = new ContentMemo<number>(16);
    const prompt = "You are a support agent. ".repeat(400);
    memo.set(prompt, 42);
    expect(memo.get(fresh(prompt))).toBe(42);
    expect(memo.get(prompt.slice(0, -1))).toBeUndefined();
  });

  it("never answers for other content, however close: same length, same sampled characters", () => {
    // 10,000 characters are sampled every 625th: changing one in between leaves length and samples as they were.
    const base = "abcdefghij".repeat(1000);
    const variants = Array.from(
      { length: 6 },
      (_, k) => `${base.slice(0, 5001 + k)}#${base.slice(5002 + k)}`,
    );
    const memo = new ContentMemo<number>(64);
    memo.set(base, -1);
    for (const v of variants) expect(memo.get(fresh(v))).toBeUndefined();
    for (const [k, v] of variants.entries()) memo.set(v, k);
    expect(memo.get(fresh(variants[5]!))).toBe(5);
    expect(memo.get(fresh(variants[2]!))).toBe(2);
    // Same length and samples share a bucket of a few: the oldest gave way, and nothing answers wrongly.
    expect(memo.get(fresh(base))).toBeUndefined();
  });

  it("agrees with a Map on random strings (up to its bounds)", () => {
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.string({ unit: fc.constantFrom("a", "b", "é", "\ud83d", "\ude00"), maxLength: 120 }),
    );
    fc.assert(
      fc.property(
        // Any UTF-16 code units (lone surrogates too), from a small alphabet so that equal lengths and samples occur.
        fc.array(fc.tuple(text, fc.integer()), { maxLength: 60 }),
        fc.array(text, { maxLength: 30 }),
        (writes, probes) => {
          const memo = new ContentMemo<number>(1000);
          const map = new Map<string, number>();
          for (const [s, v] of writes) {
            memo.set(s, v);
            map.set(s, v);
          }
          for (const s of [...map.keys(), ...probes]) expect(memo.get(fresh(s))).toBe(map.get(s));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("holds at most its entries and its characters, keeping the newest", () => {
    const byEntries = new ContentMemo<number>(10);
    for (let i = 0; i < 100; i++) byEntries.set(`entry ${i} `.repeat(30), i);
    expect(byEntries.size).toBeLessThanOrEqual(10);
    expect(byEntries.get(`entry 99 `.repeat(30))).toBe(99);

    const byChars = new ContentMemo<number>(1_000_000, 10_000);
    const doc = (i: number) => `${i}`.padStart(1000, "d");
    for (let i = 0; i < 100; i++) byChars.set(doc(i), i);
    expect(byChars.size).toBeLessThanOrEqual(10); // 10,000 characters of 1,000-character documents
    for (let i = 95; i < 100; i++) expect(byChars.get(fresh(doc(i)))).toBe(i);
    expect(byChars.get(doc(0))).toBeUndefined();
  });

  it("a hit in the old generation survives the next turnover", () => {
    const memo = new ContentMemo<string>(4); // two entries a generation
    memo.set("system prompt ".repeat(20), "sys");
    memo.set("a".repeat(300), "a");
    memo.set("b".repeat(300), "b"); // turnover: the prompt is now old
    expect(memo.get(fresh("system prompt ".repeat(20)))).toBe("sys"); // promoted
    memo.set("c".repeat(300), "c"); // turnover: the old generation (with "a") goes
    expect(memo.get("system prompt ".repeat(20))).toBe("sys");
    expect(memo.get("a".repeat(300))).toBeUndefined();
  });
});
