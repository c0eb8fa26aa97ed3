import type { CacheUsage } from "@cachepoint/core";

/**
 * How long the mock says a request took. Time to first token grows with the input the model must process
 * (uncached and written tokens) and shrinks with what it reads from the cache; output adds per token.
 * Defaults are round numbers of the order seen on Claude Sonnet-class models, not measurements.
 * @public
 */
export interface LatencyModel {
  readonly baseMs: number;
  readonly perInputTokenMs: number;
  readonly perCacheWriteTokenMs: number;
  readonly perCacheReadTokenMs: number;
  readonly perOutputTokenMs: number;
}

/** @public */
export const defaultLatencyModel: LatencyModel = Object.freeze({
  baseMs: 250,
  perInputTokenMs: 0.12,
  perCacheWriteTokenMs: 0.13,
  perCacheReadTokenMs: 0.012,
  perOutputTokenMs: 12,
});

/** Time to first token and total latency for a usage record. @internal */
export function latencyOf(m: LatencyModel, u: CacheUsage): { firstByteMs: number; totalMs: number } {
  const firstByteMs = Math.round(
    m.baseMs +
      u.inputTokens * m.perInputTokenMs +
      u.cacheWriteInputTokens * m.perCacheWriteTokenMs +
      u.cacheReadInputTokens * m.perCacheReadTokenMs,
  );
  return { firstByteMs, totalMs: Math.round(firstByteMs + u.outputTokens * m.perOutputTokenMs) };
}
