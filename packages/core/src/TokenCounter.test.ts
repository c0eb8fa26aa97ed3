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
