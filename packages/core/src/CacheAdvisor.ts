import type { CachePlan, CheckpointRole } from "./CachePlan.js";
import type { CacheUsage } from "./CacheUsage.js";
import { LruCache } from "./internal/LruCache.js";
import type { PromptLayout } from "./PromptLayout.js";
import { prefixKeys } from "./prefixKeys.js";

/**
 * Learns from observed usage which checkpoints pay. `auto` consults it: a prefix written again and again but
 * never read stops being cached.
 * @public
 */
export interface CacheAdvisor {
  /** Why the planner should skip a checkpoint with this prefix key and role, or undefined to place it. */
  advise(key: string, role: CheckpointRole): string | undefined;
  /** Records what one request did with the checkpoints it was planned with. */
  observe(observation: { plan: CachePlan; layout: PromptLayout; usage: CacheUsage }): void;
}

/** Options for {@link createCacheAdvisor}. @public */
export interface CacheAdvisorOptions {
  /** Writes without a read before a prefix is given up on. Default 3. */
  minWrites?: number;
  /** Prefixes remembered (least recently used forgotten). Default 10,000. */
  maxEntries?: number;
}

interface Stats {
  writes: number;
  reads: number;
  tokens: number;
  /** Observation count when the advisor started skipping this prefix. */
  skippedAt?: number;
}

/**
 * The default {@link CacheAdvisor}. Static prefixes (tools, system, documents) are tracked per prefix key;
 * moving tails are tracked together, since each tail is a new prefix: if recent tails are never read by the
 * next request (single-shot traffic, or turns slower than the TTL), tails stop being placed.
 * A skipped prefix is tried again after `minWrites × 4` more observations, so a change in traffic is noticed.
 * @public
 */
export function createCacheAdvisor(options: CacheAdvisorOptions = {}): CacheAdvisor {
  const minWrites = options.minWrites ?? 3;
  const retryAfter = minWrites * 4;
  const prefixes = new LruCache<string, Stats>(options.maxEntries ?? 10_000);
  const recentTails = new LruCache<string, number>(1024); // tail key → its prefix tokens
  const tails: Stats = { writes: 0, reads: 0, tokens: 0 };
  let observations = 0;

  /** Skip while the stats say "never read"; after `retryAfter` observations, forget and try once more. */
  const skip = (s: Stats): boolean => {
    if (s.writes < minWrites || s.reads > 0) return false;
    s.skippedAt ??= observations;
    if (observations - s.skippedAt >= retryAfter) {
      s.writes = 0;
      delete s.skippedAt;
      return false;
    }
    return true;
  };

  return {
    advise(key, role) {
      if (role === "tail") {
        return skip(tails)
          ? `the advisor saw ${tails.writes} tails written and none read by the next request`
          : undefined;
      }
      if (role === "history" || role === "user") return undefined;
      const s = prefixes.get(key);
      return s && skip(s)
        ? `the advisor saw this ${s.tokens}-token prefix written ${s.writes} times and never read`
        : undefined;
    },
    observe({ plan, layout, usage }) {
      observations++;
      const keys = prefixKeys(layout);
      const read = usage.cacheReadInputTokens;
      // A read of N tokens was served by the entry whose prefix is exactly N tokens long.
      if (read > 0) {
        for (let i = 0; i < keys.length; i++) {
          const tailTokens = recentTails.get(keys[i]!);
          if (tailTokens !== undefined && tailTokens <= read) tails.reads++;
        }
      }
      for (const c of plan.checkpoints) {
        if (c.afterBlock < 0) continue;
        const key = keys[c.afterBlock]!;
        if (c.role === "tail") {
          if (c.prefixTokens > read && usage.cacheWriteInputTokens > 0) {
            tails.writes++;
            recentTails.set(key, c.prefixTokens);
          }
          continue;
        }
        const s = prefixes.get(key) ?? { writes: 0, reads: 0, tokens: c.prefixTokens };
        if (read >= c.prefixTokens) s.reads++;
        else if (usage.cacheWriteInputTokens > 0) s.writes++;
        prefixes.set(key, s);
      }
    },
  };
}
