import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCachepointError } from "./CachepointError.js";
import { describeContent } from "./describeContent.js";
import { createEstimator, type TokenCounter } from "./TokenCounter.js";

describe("the default estimator", () => {
  const est = createEstimator();

  it("is deterministic and scales with content", () => {
    const text = "The quick brown fox jumps over the lazy dog. ".repeat(100);
    expect(est.count(text)).toBe(est.count(text));
    expect(est.count(text + text)).toBe(2 * est.count(text));
    expect(est.count("")).toBe(0);
  });

  it("lands near Claude's ~3.4 characters per token on English prose", () => {
    const prose =
      "Prompt caching lets you reuse a long, stable prefix across requests, which cuts both latency and cost. ".repeat(
        50,
      );
    const ratio = prose.length / est.count(prose);
    expect(ratio).toBeGreaterThan(2.9);
    expect(ratio).toBeLessThan(4.2);
  });

  it("counts CJK about one token per character and JSON punctuation per symbol", () => {
    expect(est.count("提示缓存很有用")).toBe(7);
    expect(est.count('{"a":1}')).toBe(7);
  });

  it("counts by its rule, one character at a time, on any text (Latin letters, symbols, surrogates, lone halves)", () => {
    // The rule as a plain loop over characters: the estimator scans runs through a lookup table instead.
    const byRule = (text: string): number => {
      let tokens = 0;
      let run = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95) {
          run++;
          continue;
        }
        tokens += (run + 3) >> 2;
        run = 0;
        if (c === 32 || c === 10 || c === 9 || c === 13) continue;
        if (c >= 128 && c < 0x0300)
          run = 1; // a Latin letter starts a run
        else {
          tokens++;
          if (c >= 0xd800 && c <= 0xdbff) i++; // a surrogate pair is one token
        }
      }
      return tokens + ((run + 3) >> 2);
    };
    const unscaled = createEstimator({ memoEntries: 0 });
    const pieces = [
      "a",
      "Z",
      "9",
      "_",
      " ",
      "\n",
      "\t",
      "\r",
      ",",
      "{",
      "é",
      "ß",
      "ǅ",
      "\u02ff",
      "\u0300",
      "日",
      "😀",
      "\ud800",
      "\udc00",
      "\u0080",
    ];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { maxLength: 40 }),
        fc.string({ unit: "binary" }),
        (parts, any) => {
          const text = parts.join("");
          expect(unscaled.count(text)).toBe(byRule(text));
          expect(unscaled.count(any)).toBe(byRule(any));
        },
      ),
      { numRuns: 2000 },
    );
    expect(unscaled.count("café au lait")).toBe(byRule("café au lait"));
  });

  it("memoises long content and evicts least recently used entries beyond its cap", () => {
    const small = createEstimator({ memoEntries: 2, memoMinLength: 1 });
    const a = "a".repeat(10);
    expect(small.count(a)).toBe(small.count(a));
    small.count("b".repeat(10));
    small.count("c".repeat(10));
    expect(small.count(a)).toBe(3);
  });

  it("scale multiplies (e.g. the Opus 4.7+ tokenizer), and bad options are refused", () => {
    const s = createEstimator({ scale: 1.53 });
    expect(s.count("word ".repeat(1000))).toBe(Math.ceil(1000 * 1.53));
    try {
      createEstimator({ scale: -1 });
      expect.unreachable();
    } catch (e) {
      expect(isCachepointError(e) && e.reason).toBe("invalid-option");
    }
  });

  it("describeContent counts long content once per counter, with the estimator's own count", () => {
    const text = "Refund policy: items may be returned within 30 days. ".repeat(40);
    const scaled = createEstimator({ scale: 1.53 });
    expect(describeContent(text, scaled).tokens).toBe(scaled.count(text));
    let calls = 0;
    const custom: TokenCounter = {
      name: "custom",
      expectedError: 0,
      count: (t) => {
        calls++;
        return t.length;
      },
    };
    const copy = JSON.parse(JSON.stringify(text)) as string;
    expect(describeContent(text, custom).tokens).toBe(text.length);
    expect(describeContent(copy, custom).tokens).toBe(text.length);
    expect(calls).toBe(1); // the second, equal content came from the memo
    expect(describeContent(copy, scaled).tokens).toBe(scaled.count(text)); // another counter counts again
  });
});
