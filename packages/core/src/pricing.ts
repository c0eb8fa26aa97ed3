import { CachepointError } from "./CachepointError.js";
import type { CacheUsage } from "./CacheUsage.js";
import { formatInt } from "./internal/formatInt.js";
import { ttlMs } from "./ModelRules.js";
import type { PriceRow, Ttl } from "./modelTypes.js";
import { normalizeUsage } from "./normalizeUsage.js";
import type { ResolvedModel } from "./resolveModel.js";

/** Prices in USD per 1M tokens, with every cache write rate filled in. @public */
export interface EffectivePrices {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number;
  readonly cacheWrite: Readonly<Record<Ttl, number>>;
  /** Write rates that the table did not give and that were derived from Anthropic's multipliers. */
  readonly assumedWriteTtls: readonly Ttl[];
}

/** What a usage record costs, by component, and what the same tokens would cost uncached. @public */
export interface CostBreakdown {
  readonly inputUsd: number;
  readonly cacheReadUsd: number;
  readonly cacheWriteUsd: number;
  readonly outputUsd: number;
  readonly totalUsd: number;
  /** The same request with no caching: every input token at the input rate. */
  readonly uncachedUsd: number;
  /** `uncachedUsd - totalUsd`; negative when write premiums were not paid back. */
  readonly savedUsd: number;
  /** `savedUsd / uncachedUsd` as a percentage (0 when nothing was spent). */
  readonly savedPct: number;
  readonly assumedWriteTtls: readonly Ttl[];
}

type PriceSource = ResolvedModel | PriceRow | EffectivePrices;

const multipliers: Record<Ttl, number> = { "5m": 1.25, "1h": 2, "30m": 1.25 };

function isEffective(p: PriceSource): p is EffectivePrices {
  return typeof (p as EffectivePrices).cacheWrite === "object";
}

/**
 * Fills a price row's missing write rates from the documented multipliers (5m and 30m: 1.25 × input,
 * 1h: 2 × input — `bedrock-facts.md` §8) and says which ones were assumed.
 * @throws CachepointError `missing-price` when the model has no price for this ID form.
 * @public
 */
export function effectivePrices(source: PriceSource): EffectivePrices {
  if (isEffective(source)) return source;
  const row = "rules" in source ? source.price : source;
  if (!row) {
    const m = source as ResolvedModel;
    throw new CachepointError(
      "missing-price",
      `No price for ${m.requestedId} (route ${m.route ?? "unknown"}) in the model table. Pass prices through the registry's \`overrides\` (pricing rows) or price with a PriceRow directly.`,
      { details: { modelId: m.requestedId, route: m.route } },
    );
  }
  const memo = effectiveMemo.get(row);
  if (memo) return memo;
  const assumed: Ttl[] = [];
  const rate = (ttl: Ttl, v: number | null | undefined) => {
    if (typeof v === "number") return v;
    assumed.push(ttl);
    return row.inputPer1M * multipliers[ttl];
  };
  const prices: EffectivePrices = {
    input: row.inputPer1M,
    output: row.outputPer1M,
    cacheRead: row.cacheReadPer1M,
    cacheWrite: {
      "5m": rate("5m", row.cacheWrite5mPer1M),
      "1h": rate("1h", row.cacheWrite1hPer1M),
      "30m": rate("30m", row.cacheWrite30mPer1M),
    },
    assumedWriteTtls: assumed,
  };
  effectiveMemo.set(row, prices);
  return prices;
}

/** Effective prices per price row: computed once, not on every plan and every usage record. */
const effectiveMemo = new WeakMap<PriceRow, EffectivePrices>();

const noTtls: readonly Ttl[] = Object.freeze([]);
const perToken = (per1M: number, tokens: number) => (per1M * tokens) / 1_000_000;

/**
 * Prices one usage record (or a sum of them) and compares it with the same request uncached.
 * @example
 * const m = resolveModel("global.anthropic.claude-sonnet-4-6");
 * costOf(normalizeUsage(response.usage), m).savedUsd;
 * @public
 */
export function costOf(usage: CacheUsage, prices: PriceSource): CostBreakdown {
  // A JavaScript caller may pass the response's own usage (`response.usage`): read it as normalizeUsage would.
  if (typeof usage?.cacheWriteByTtl !== "object" || usage.cacheWriteByTtl === null) usage = usageOf(usage);
  const p = effectivePrices(prices);
  const inputUsd = perToken(p.input, usage.inputTokens);
  const cacheReadUsd = perToken(p.cacheRead, usage.cacheReadInputTokens);
  const w = usage.cacheWriteByTtl;
  const cacheWriteUsd =
    perToken(p.cacheWrite["5m"], w["5m"]) +
    perToken(p.cacheWrite["1h"], w["1h"]) +
    perToken(p.cacheWrite["30m"], w["30m"]);
  const outputUsd = perToken(p.output, usage.outputTokens);
  const totalUsd = inputUsd + cacheReadUsd + cacheWriteUsd + outputUsd;
  const uncachedUsd =
    perToken(p.input, usage.inputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens) +
    outputUsd;
  const savedUsd = uncachedUsd - totalUsd;
  return {
    inputUsd,
    cacheReadUsd,
    cacheWriteUsd,
    outputUsd,
    totalUsd,
    uncachedUsd,
    savedUsd,
    savedPct: uncachedUsd > 0 ? (savedUsd / uncachedUsd) * 100 : 0,
    // Only the assumed rates this usage was billed at (none, on every call of a fully priced model).
    assumedWriteTtls: p.assumedWriteTtls.length === 0 ? noTtls : p.assumedWriteTtls.filter((t) => w[t] > 0),
  };
}

/**
 * Reads needed within one TTL window before a write pays for itself: write premium ÷ saving per read.
 * Claude 5m: 0.25 / 0.9 ≈ 0.28 (one read pays); Claude 1h: 1.0 / 0.9 ≈ 1.11 (two reads pay); Nova: 0.
 * @public
 */
export function breakEvenReads(prices: PriceSource, ttl: Ttl): number {
  const p = effectivePrices(prices);
  const premium = p.cacheWrite[ttl] - p.input;
  const saving = p.input - p.cacheRead;
  if (premium <= 0) return 0;
  if (saving <= 0) return Number.POSITIVE_INFINITY;
  return premium / saving;
}

/** The outcome of sending `requests` requests that share a prefix inside one TTL window. @public */
export interface WindowSavings {
  readonly requests: number;
  readonly cachedUsd: number;
  readonly uncachedUsd: number;
  /** Positive = saved; the first request alone is negative (the write premium). */
  readonly savedPct: number;
}

/**
 * Cost of `requests` requests sharing a `prefixTokens` prefix inside one TTL window: one write, then reads.
 * Reproduces AWS's table for Claude 5m: 1 request −25%, 2 ≈ 32%, 5 ≈ 67%, 10 ≈ 78%.
 * @public
 */
export function savingsPerWindow(
  prices: PriceSource,
  ttl: Ttl,
  prefixTokens: number,
  requests: number,
): WindowSavings {
  if (!Number.isInteger(requests) || requests < 1) {
    throw new CachepointError(
      "invalid-option",
      `requests must be a whole number ≥ 1, got ${String(requests)}.`,
    );
  }
  const p = effectivePrices(prices);
  const cachedUsd =
    perToken(p.cacheWrite[ttl], prefixTokens) + perToken(p.cacheRead, prefixTokens) * (requests - 1);
  const uncachedUsd = perToken(p.input, prefixTokens) * requests;
  return {
    requests,
    cachedUsd,
    uncachedUsd,
    savedPct: uncachedUsd > 0 ? ((uncachedUsd - cachedUsd) / uncachedUsd) * 100 : 0,
  };
}

/** Expected per-request economics of caching a shared prefix under steady traffic. @public */
export interface ExpectedSavings {
  readonly ttl: Ttl;
  /** Probability a request finds the entry alive (the previous request came less than one TTL before). */
  readonly hitRate: number;
  /** Expected cost of the prefix per request, cached. */
  readonly cachedUsdPerRequest: number;
  readonly uncachedUsdPerRequest: number;
  readonly savedUsdPerRequest: number;
  readonly savedPct: number;
  /** Over `hours` of traffic at this rate. */
  readonly savedUsdPerHour: number;
}

/**
 * Expected savings for a prefix of `prefixTokens` requested `requestsPerMinute` times a minute (Poisson).
 * Every request, hit or write, leaves the entry alive for one TTL, so a request hits exactly when the gap
 * since the previous one is shorter than the TTL: hit rate = 1 − e^(−rate × TTL).
 * @public
 */
export function expectedSavings(
  prices: PriceSource,
  options: { ttl: Ttl; prefixTokens: number; requestsPerMinute: number },
): ExpectedSavings {
  const { ttl, prefixTokens, requestsPerMinute } = options;
  if (!(requestsPerMinute >= 0) || !Number.isFinite(requestsPerMinute)) {
    throw new CachepointError(
      "invalid-option",
      `requestsPerMinute must be a number ≥ 0, got ${String(requestsPerMinute)}.`,
    );
  }
  if (!(prefixTokens >= 0)) {
    throw new CachepointError(
      "invalid-option",
      `prefixTokens must be a number ≥ 0, got ${String(prefixTokens)}.`,
    );
  }
  const p = effectivePrices(prices);
  const hitRate = 1 - Math.exp(-requestsPerMinute * (ttlMs(ttl) / 60_000));
  const cachedUsdPerRequest =
    hitRate * perToken(p.cacheRead, prefixTokens) + (1 - hitRate) * perToken(p.cacheWrite[ttl], prefixTokens);
  const uncachedUsdPerRequest = perToken(p.input, prefixTokens);
  const savedUsdPerRequest = uncachedUsdPerRequest - cachedUsdPerRequest;
  return {
    ttl,
    hitRate,
    cachedUsdPerRequest,
    uncachedUsdPerRequest,
    savedUsdPerRequest,
    savedPct: uncachedUsdPerRequest > 0 ? (savedUsdPerRequest / uncachedUsdPerRequest) * 100 : 0,
    savedUsdPerHour: savedUsdPerRequest * requestsPerMinute * 60,
  };
}

/** Which TTL to use, or none, for a prefix under steady traffic, with the numbers behind it. @public */
export interface TtlRecommendation {
  /** `none` when no TTL's write premiums are paid back. */
  readonly ttl: Ttl | "none";
  readonly options: readonly ExpectedSavings[];
  readonly reason: string;
}

/**
 * Compares every TTL the model offers (5m, 1h) for a prefix and request rate and recommends the cheapest,
 * or no caching when every option costs more than sending the prefix uncached.
 * @public
 */
export function recommendTtl(
  model: ResolvedModel,
  options: { prefixTokens: number; requestsPerMinute: number },
): TtlRecommendation {
  const ttls = model.rules.ttls.length > 0 ? model.rules.ttls : (["5m"] as const);
  const all = ttls.map((ttl) => expectedSavings(model, { ttl, ...options }));
  // Shortest TTL first: a longer TTL must save at least 1% more of the prefix cost to be recommended,
  // since at high rates both almost never expire and the longer one only adds premium risk.
  const best = [...all]
    .reverse()
    .reduce((a, b) => (b.savedUsdPerRequest > a.savedUsdPerRequest + 0.01 * a.uncachedUsdPerRequest ? b : a));
  const rate = options.requestsPerMinute;
  const min = model.rules.minTokensPerCheckpoint;
  if (options.prefixTokens < min) {
    // The rates above assume the prefix caches; below the minimum Bedrock neither writes nor reads it.
    return {
      ttl: "none",
      options: all,
      reason: `A ${formatInt(options.prefixTokens)}-token prefix is below ${model.name}'s ${formatInt(min)}-token minimum: Bedrock caches nothing (and bills it as plain input). Grow the shared prefix to at least ${formatInt(min)} tokens, or send it uncached.`,
    };
  }
  if (best.savedUsdPerRequest <= 0) {
    return {
      ttl: "none",
      options: all,
      reason: `At ${rate} request(s)/min no TTL pays back its write premium (best: ${best.ttl} with a ${(best.hitRate * 100).toFixed(0)}% hit rate). Send the prefix uncached.`,
    };
  }
  const other = all.filter((o) => o !== best);
  const vs = other.length
    ? `; ${other.map((o) => `${o.ttl} would save ${o.savedPct.toFixed(1)}%`).join(", ")}`
    : "";
  return {
    ttl: best.ttl,
    options: all,
    reason: `${best.ttl}: ${(best.hitRate * 100).toFixed(1)}% expected hit rate at ${rate} request(s)/min saves ${best.savedPct.toFixed(1)}% of the prefix cost${vs}.`,
  };
}

/** How caching changes what counts against Bedrock token quotas (tokens per minute). @public */
export interface QuotaEffect {
  /** Counted at settlement: uncached input + cache writes + output × burndown. Cache reads are not. */
  readonly settledTokens: number;
  /** Reserved when the request starts: all input (reads included) + `maxTokens` (released at settlement). */
  readonly reservedTokens: number;
  /** Input tokens that did not count against the quota because they were read from the cache. */
  readonly quotaTokensSaved: number;
  /** The settled count of the same request uncached. */
  readonly uncachedSettledTokens: number;
}

/**
 * Quota accounting of a usage record: "cache reads do not count toward Bedrock token quotas" (AWS toolkit,
 * AWS-BURN). This is what caching buys on Provisioned Throughput or when throttled: capacity, not money.
 * @param options.outputBurndown output multiplier (5 for Claude 3.7+ per the AWS toolkit; default 1).
 * @public
 */
export function quotaEffect(
  usage: CacheUsage,
  options: { outputBurndown?: number; maxTokens?: number } = {},
): QuotaEffect {
  const burn = options.outputBurndown ?? 1;
  const out = usage.outputTokens * burn;
  const settled = usage.inputTokens + usage.cacheWriteInputTokens + out;
  return {
    settledTokens: settled,
    reservedTokens:
      usage.inputTokens +
      usage.cacheReadInputTokens +
      usage.cacheWriteInputTokens +
      (options.maxTokens ?? usage.outputTokens),
    quotaTokensSaved: usage.cacheReadInputTokens,
    uncachedSettledTokens: settled + usage.cacheReadInputTokens,
  };
}

/** A usage record in any shape Bedrock returns; anything else is a typed error, never a silent $0. */
function usageOf(value: unknown): CacheUsage {
  if (typeof value !== "object" || value === null) {
    throw new CachepointError(
      "invalid-option",
      `costOf needs a usage record (a CacheUsage, or a response's usage as Converse, Anthropic or Nova return it); got ${value === null ? "null" : typeof value}.`,
    );
  }
  return normalizeUsage(value);
}
