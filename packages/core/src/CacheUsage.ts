/**
 * What one request did with the cache, in one shape whatever API reported it.
 * `inputTokens` is the uncached input only (Bedrock's convention): total input =
 * `inputTokens + cacheReadInputTokens + cacheWriteInputTokens`.
 * @public
 */
export interface CacheUsage {
  /** Input tokens neither read from nor written to the cache. */
  readonly inputTokens: number;
  readonly cacheReadInputTokens: number;
  /** All tokens written, whatever their TTL; equals the sum of `cacheWriteByTtl`. */
  readonly cacheWriteInputTokens: number;
  readonly cacheWriteByTtl: Readonly<{ "5m": number; "1h": number; "30m": number }>;
  readonly outputTokens: number;
}

/** A `CacheUsage` with every counter at zero. @public */
export const emptyUsage: CacheUsage = Object.freeze({
  inputTokens: 0,
  cacheReadInputTokens: 0,
  cacheWriteInputTokens: 0,
  cacheWriteByTtl: Object.freeze({ "5m": 0, "1h": 0, "30m": 0 }),
  outputTokens: 0,
});

/** Total input tokens the model processed (uncached + read + written). @public */
export function totalInputTokens(u: CacheUsage): number {
  return u.inputTokens + u.cacheReadInputTokens + u.cacheWriteInputTokens;
}

/** Adds usage records (e.g. the requests of a session). @public */
export function addUsage(...records: readonly CacheUsage[]): CacheUsage {
  let i = 0;
  let r = 0;
  let o = 0;
  let w5 = 0;
  let w1 = 0;
  let w30 = 0;
  for (const u of records) {
    i += u.inputTokens;
    r += u.cacheReadInputTokens;
    o += u.outputTokens;
    w5 += u.cacheWriteByTtl["5m"];
    w1 += u.cacheWriteByTtl["1h"];
    w30 += u.cacheWriteByTtl["30m"];
  }
  return {
    inputTokens: i,
    cacheReadInputTokens: r,
    cacheWriteInputTokens: w5 + w1 + w30,
    cacheWriteByTtl: { "5m": w5, "1h": w1, "30m": w30 },
    outputTokens: o,
  };
}
