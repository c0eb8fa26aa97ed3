import { describe, expect, it } from "vitest";
import type { CacheUsage } from "./CacheUsage.js";
import {
  breakEvenReads,
  costOf,
  expectedSavings,
  quotaEffect,
  recommendTtl,
  savingsPerWindow,
} from "./pricing.js";
import { resolveModel } from "./resolveModel.js";

const sonnet = resolveModel("global.anthropic.claude-sonnet-4-6");
const usage = (u: Partial<CacheUsage> & { w5?: number; w1?: number }): CacheUsage => ({
  inputTokens: u.inputTokens ?? 0,
  cacheReadInputTokens: u.cacheReadInputTokens ?? 0,
  cacheWriteInputTokens: (u.w5 ?? 0) + (u.w1 ?? 0),
  cacheWriteByTtl: { "5m": u.w5 ?? 0, "1h": u.w1 ?? 0, "30m": 0 },
  outputTokens: u.outputTokens ?? 0,
});

describe("AWS's published 5-minute table for Claude (AWS toolkit prompt-caching.md)", () => {
  const cases: [number, number][] = [
    [1, -25],
    [2, 32],
    [5, 67],
    [10, 78],
  ];
  for (const [requests, pct] of cases) {
    it(`${requests} request(s) per TTL window: ${pct > 0 ? "save" : "cost"} about ${Math.abs(pct)}%`, () => {
      const s = savingsPerWindow(sonnet, "5m", 10_000, requests);
      expect(Math.round(s.savedPct)).toBeGreaterThanOrEqual(pct - 1);
      expect(Math.round(s.savedPct)).toBeLessThanOrEqual(pct + 1);
    });
  }
});

describe("costOf", () => {
  it("prices each component at Sonnet 4.6's global rates and compares with uncached", () => {
    const c = costOf(usage({ inputTokens: 18, w5: 7502, outputTokens: 386 }), sonnet);
    expect(c.inputUsd).toBeCloseTo((18 * 3) / 1e6, 12);
    expect(c.cacheWriteUsd).toBeCloseTo((7502 * 3.75) / 1e6, 12);
    expect(c.outputUsd).toBeCloseTo((386 * 15) / 1e6, 12);
    expect(c.uncachedUsd).toBeCloseTo(((18 + 7502) * 3 + 386 * 15) / 1e6, 12);
    expect(c.savedUsd).toBeLessThan(0);
    const read = costOf(usage({ inputTokens: 18, cacheReadInputTokens: 7502, outputTokens: 503 }), sonnet);
    expect(read.cacheReadUsd).toBeCloseTo((7502 * 0.3) / 1e6, 12);
    expect(read.savedUsd).toBeCloseTo((7502 * 2.7) / 1e6, 12);
  });

  it("bills 1h writes at 2x input and the geo route 10% higher", () => {
    expect(costOf(usage({ w1: 1_000_000 }), sonnet).cacheWriteUsd).toBeCloseTo(6, 9);
    expect(
      costOf(usage({ w1: 1_000_000 }), resolveModel("us.anthropic.claude-sonnet-4-6")).cacheWriteUsd,
    ).toBeCloseTo(6.6, 9);
  });

  it("says when a write rate had to be assumed, and refuses a model with no price", () => {
    const c37 = resolveModel("anthropic.claude-3-7-sonnet-20250219-v1:0");
    expect(costOf(usage({ w1: 100 }), c37).assumedWriteTtls).toEqual(["1h"]);
    expect(costOf(usage({ w5: 100 }), c37).assumedWriteTtls).toEqual([]);
    expect(() => costOf(usage({ inputTokens: 1 }), resolveModel("anthropic.claude-mythos-5"))).toThrowError(
      /No price/,
    );
  });

  it("prices a response's own usage as Converse and Anthropic return it, and refuses what is not a usage record", () => {
    const expected = costOf(
      usage({ inputTokens: 18, cacheReadInputTokens: 7502, outputTokens: 503 }),
      sonnet,
    );
    const converse = {
      inputTokens: 18,
      outputTokens: 503,
      totalTokens: 8023,
      cacheReadInputTokens: 7502,
      cacheWriteInputTokens: 0,
    };
    const anthropic = {
      input_tokens: 18,
      output_tokens: 503,
      cache_read_input_tokens: 7502,
      cache_creation_input_tokens: 0,
    };
    expect(costOf(converse as never, sonnet)).toEqual(expected);
    expect(costOf(anthropic as never, sonnet)).toEqual(expected);
    expect(() => costOf(null as never, sonnet)).toThrowError(
      expect.objectContaining({ reason: "invalid-option", message: expect.stringContaining("got null") }),
    );
  });

  it("an empty record costs nothing and saves 0%, not NaN", () => {
    const c = costOf(usage({}), sonnet);
    expect(c.totalUsd).toBe(0);
    expect(c.savedPct).toBe(0);
  });
});

describe("break-even and TTL choice", () => {
  it("Claude: 5m pays back with one read, 1h needs two; Nova writes carry no premium", () => {
    expect(breakEvenReads(sonnet, "5m")).toBeCloseTo(0.25 / 0.9, 9);
    expect(breakEvenReads(sonnet, "1h")).toBeCloseTo(1 / 0.9, 9);
    expect(breakEvenReads(resolveModel("amazon.nova-pro-v1:0"), "5m")).toBe(0);
  });

  it("hit rate follows 1 − e^(−rate × TTL)", () => {
    const s = expectedSavings(sonnet, { ttl: "5m", prefixTokens: 10_000, requestsPerMinute: 0.2 });
    expect(s.hitRate).toBeCloseTo(1 - Math.exp(-1), 9);
    expect(s.savedUsdPerHour).toBeCloseTo(s.savedUsdPerRequest * 12, 12);
  });

  it("recommends 5m for busy traffic, 1h for a request every ~15 minutes, nothing for one every few hours", () => {
    expect(recommendTtl(sonnet, { prefixTokens: 10_000, requestsPerMinute: 5 }).ttl).toBe("5m");
    expect(recommendTtl(sonnet, { prefixTokens: 10_000, requestsPerMinute: 1 / 15 }).ttl).toBe("1h");
    const sparse = recommendTtl(sonnet, { prefixTokens: 10_000, requestsPerMinute: 1 / 300 });
    expect(sparse.ttl).toBe("none");
    expect(sparse.reason).toMatch(/uncached/);
    expect(
      recommendTtl(resolveModel("amazon.nova-micro-v1:0"), { prefixTokens: 5000, requestsPerMinute: 1 / 300 })
        .ttl,
    ).toBe("5m");
  });

  it("recommends nothing for a prefix below the model's minimum, however busy the traffic", () => {
    const min = sonnet.rules.minTokensPerCheckpoint;
    const small = recommendTtl(sonnet, { prefixTokens: min - 1, requestsPerMinute: 60 });
    expect(small.ttl).toBe("none");
    expect(small.reason).toContain(`below Claude Sonnet 4.6's ${min.toLocaleString("en-US")}-token minimum`);
    expect(recommendTtl(sonnet, { prefixTokens: min, requestsPerMinute: 60 }).ttl).toBe("5m");
  });

  it("rejects nonsense rates", () => {
    expect(() => expectedSavings(sonnet, { ttl: "5m", prefixTokens: 1, requestsPerMinute: -1 })).toThrowError(
      /requestsPerMinute/,
    );
    expect(() => savingsPerWindow(sonnet, "5m", 1, 0)).toThrowError(/requests/);
  });
});

describe("quota effect", () => {
  it("cache reads are reserved up front but do not settle against the quota", () => {
    const q = quotaEffect(usage({ inputTokens: 100, cacheReadInputTokens: 9000, w5: 0, outputTokens: 200 }), {
      outputBurndown: 5,
      maxTokens: 1000,
    });
    expect(q.settledTokens).toBe(100 + 200 * 5);
    expect(q.reservedTokens).toBe(100 + 9000 + 1000);
    expect(q.quotaTokensSaved).toBe(9000);
    expect(q.uncachedSettledTokens).toBe(100 + 9000 + 1000);
  });
});
