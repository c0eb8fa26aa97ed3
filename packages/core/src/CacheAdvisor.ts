import type { CachePlan, CheckpointRole } from "./CachePlan.js";
import { CachepointError } from "./CachepointError.js";
import type { CacheUsage } from "./CacheUsage.js";
import { LruCache } from "./internal/LruCache.js";
import { type LifeEntry, TailLifeTable } from "./internal/TailLifeTable.js";
import { userTurns } from "./internal/userTurns.js";
import { ttlMs } from "./ModelRules.js";
import type { Ttl } from "./modelTypes.js";
import type { PromptLayout } from "./PromptLayout.js";
import { prefixKeys, steadyPrefixKeys } from "./prefixKeys.js";

/** What the advisor has observed about a prefix: how often it came back within each TTL. @public */
export interface ObservedReuse {
  /** Fraction of returns that came within each TTL (a 5m or 1h entry would have been alive). */
  readonly hitRate: Readonly<Record<"5m" | "1h", number>>;
  /** For conversation tails: the fraction of tails that were continued at all. */
  readonly continuation?: number;
  /** Returns observed (for conversation tails: tails whose fate at five minutes is known). */
  readonly samples: number;
  /**
   * For conversation tails: how much has been seen of what happens after five minutes (tails that waited longer,
   * each weighted by the share of the hour it has been watched through). Late turns take longest to show, so
   * the planner trusts the late part of the estimate only as far as this goes.
   */
  readonly lateSamples?: number;
}

/**
 * Learns from observed usage which checkpoints pay. `auto` consults it: a prefix written again and again but
 * never read stops being cached, and observed return times replace traffic hints when choosing 5m or 1h.
 * @public
 */
export interface CacheAdvisor {
  /**
   * Why the planner should skip a checkpoint with this prefix key and role, or undefined to place it.
   * `family` is the prefix key of the request's static part (tools + system): conversations are judged
   * against others that share it.
   */
  advise(key: string, role: CheckpointRole, family?: string, now?: number): string | undefined;
  /**
   * Observed return rates for this prefix (or for conversation tails of this family), once there are enough
   * samples. With `now` (the time of the request being planned), the gap since the prefix was last seen counts
   * as one more return: the request that comes back after 10 minutes already tells that a 5m entry would be gone.
   */
  observed(key: string, role: CheckpointRole, family?: string, now?: number): ObservedReuse | undefined;
  /** Records what one request did with the checkpoints it was planned with; `at` defaults to now. */
  observe(observation: { plan: CachePlan; layout: PromptLayout; usage: CacheUsage; at?: number }): void;
  /**
   * The cache entry at this prefix key as the advisor last saw it written or read (its TTL, and when it expires
   * unless read again), or undefined if it has seen none. With it, `auto` knows which of a conversation's entries
   * are alive: a turn that comes back late does not place a 1h read point over what it has to rewrite anyway.
   * Optional, for advisors of your own.
   */
  entry?(key: string): { readonly ttl: Ttl; readonly expiresAt: number } | undefined;
  /**
   * The turn this family's conversations end at, when the advisor has seen them stop there: the deepest turn any of
   * them reached, where several ended and none went on, long enough ago that conversations which go on would have
   * shown it (a fixed flow, or an agent's step limit). The planner treats it as `hints.maxTurns` when the hints give
   * none. Optional, for advisors of your own.
   */
  maxTurns?(family: string, now?: number): number | undefined;
}

/** Options for {@link createCacheAdvisor}. @public */
export interface CacheAdvisorOptions {
  /** Writes without a read before a prefix is given up on. Default 3. */
  minWrites?: number;
  /**
   * Returns of a prefix observed before they count (default 1: with hints, the planner weighs a few returns
   * against them; without, one return already says more than nothing). Tails need 8. Giving up on a prefix that
   * never came back within an hour takes at least 3.
   */
  minSamples?: number;
  /** Prefixes remembered (least recently used forgotten). Default 10,000. */
  maxEntries?: number;
}

interface Stats {
  writes: number;
  reads: number;
  tokens: number;
  /** Observation count when the advisor started skipping this prefix. */
  skippedAt?: number;
  lastSeen?: number;
  returns: number;
  within5m: number;
  within1h: number;
}

/** The stats with the gap since the prefix was last seen counted as one more return (not stored). */
function withPending(s: Stats | undefined, now: number | undefined): Stats | undefined {
  if (!s || now === undefined || s.lastSeen === undefined || !(now > s.lastSeen)) return s;
  const pending = { ...s };
  record(pending, now - s.lastSeen);
  return pending;
}

/** A tail written and not yet continued or expired. */
interface OpenTail {
  at: number;
  expires: number;
  tokens: number;
  family: Family;
  /** The request actually wrote it (it was not already cached). */
  written: boolean;
  /** Continued, or expired and counted. */
  settled: boolean;
  /** The conversation's turn in the request that wrote it. */
  turn: number;
  /** The tail in its family's life table and in the pooled one. */
  inFamily: LifeEntry;
  inAll: LifeEntry;
}

/** Conversation tails that hang off one static prefix: one application's traffic. */
interface Family {
  /** Writes and reads, for giving up on tails that are never read. */
  stats: Stats;
  /** When the next turns come, for the planner's TTL and hedge choices. */
  life: TailLifeTable;
  /**
   * The deepest turn any request of the family has reached, and when requests at that turn were sent; `resent` once
   * a request at that turn read the tail of an earlier one at the same turn (the same request sent again: what a
   * next turn would read is read after all, so no length is learned there).
   */
  deepest: { turn: number; at: number[]; resent: boolean };
}

/** Requests at the deepest turn that must have ended before a length is believed. */
const minEndedAtLimit = 5;
/** How unlikely "they all stopped here by chance" must be before a length is believed. */
const limitEvidence = 0.01;

/** Prefix key of a request's static part (its last tools or system block), "" when it has none. @internal */
export function familyKey(layout: PromptLayout, keys: readonly string[]): string {
  for (let i = layout.blocks.length - 1; i >= 0; i--) {
    const s = layout.blocks[i]!.section;
    if (s === "system" || s === "tools") return keys[i]!;
  }
  return "";
}

const fresh = (tokens: number): Stats => ({
  writes: 0,
  reads: 0,
  tokens,
  returns: 0,
  within5m: 0,
  within1h: 0,
});

function record(s: Stats, gap: number): void {
  s.returns++;
  if (gap < ttlMs("5m")) s.within5m++;
  if (gap < ttlMs("1h")) s.within1h++;
}

/**
 * The default {@link CacheAdvisor}. Static prefixes (tools, system, documents) are tracked per prefix key:
 * writes, reads, and the gaps between their occurrences; until a prefix has enough returns of its own, the
 * observed rates are shrunk toward those of every prefix in the same role (a new document behaves like the last
 * ones until it has a history of its own). Moving tails are tracked together per static prefix (one
 * application's conversations), since each tail is a new prefix: when their next turns come, in a life table
 * that treats a tail still waiting as censored at its age rather than abandoned. A skipped prefix is tried again after
 * `minWrites × 4` more observations, so a change in traffic is noticed.
 * @public
 */
export function createCacheAdvisor(options: CacheAdvisorOptions = {}): CacheAdvisor {
  for (const key of ["minWrites", "minSamples", "maxEntries"] as const) {
    const v = options[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) {
      throw new CachepointError(
        "invalid-option",
        `createCacheAdvisor: ${key} must be a whole number ≥ 1 (got ${JSON.stringify(v) ?? String(v)}).`,
      );
    }
  }
  const minWrites = options.minWrites ?? 3;
  const minSamples = options.minSamples ?? 1;
  const retryAfter = minWrites * 4;
  const priorWeight = 8;
  const prefixes = new LruCache<string, Stats>(options.maxEntries ?? 10_000);
  // tail key → when written, and the family it belongs to
  const openTails = new LruCache<string, OpenTail>(Math.max(4096, options.maxEntries ?? 10_000));
  // Tails in the order they were written: one that outlives its TTL without being continued counts as written
  // and never read. (Counting at write time would give up on a chat's first tails before their next turns came.)
  // A 1h tail at the head holds back the 5m ones behind it: they are counted late, never early.
  let unsettled: OpenTail[] = [];
  let head = 0;
  const settle = (now: number) => {
    while (head < unsettled.length && unsettled[head]!.expires <= now) {
      const t = unsettled[head++]!;
      if (t.settled) continue;
      t.settled = true;
      if (t.written) {
        tails.writes++;
        t.family.stats.writes++;
      }
    }
    if (head > 1024 && head * 2 > unsettled.length) {
      unsettled = unsettled.slice(head);
      head = 0;
    }
    if (unsettled.length - head > 100_000) head = unsettled.length - 100_000; // bounded: forget the oldest
  };
  const tails: Stats = fresh(0);
  const allTails = new TailLifeTable();
  // Tails per static prefix: a chat's conversations are not judged by the single-shot requests of another
  // application that shares the client. All tails pooled answer only callers that pass no family.
  const families = new LruCache<string, Family>(1024);
  const familyFor = (key: string): Family => {
    let f = families.get(key);
    if (!f) {
      f = { stats: fresh(0), life: new TailLifeTable(), deepest: { turn: 0, at: [], resent: false } };
      families.set(key, f);
    }
    return f;
  };
  const familyMinTails = 8;
  // Prefix key → the entry a planned checkpoint left there (a write creates it, a read refreshes it).
  const entries = new LruCache<string, { ttl: Ttl; expiresAt: number }>(
    Math.max(4096, options.maxEntries ?? 10_000),
  );
  // Returns seen on any prefix of a role: the prior for a prefix that has no history of its own yet.
  const byRole = new Map<CheckpointRole, Stats>();
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
  const reuse = (s: Stats, need: number): ObservedReuse | undefined =>
    s.returns < need
      ? undefined
      : {
          hitRate: { "5m": s.within5m / s.returns, "1h": s.within1h / s.returns },
          samples: s.returns,
        };

  /**
   * The entry a read found: the deepest one alive within the lookback of the request's deepest checkpoint (20 blocks,
   * Claude's; Nova reads only at the checkpoint, which is refreshed as a checkpoint anyway). Reading refreshes it.
   */
  const refreshRead = (keys: readonly string[], plan: CachePlan, now: number) => {
    let deepest = -1;
    for (const c of plan.checkpoints) deepest = Math.max(deepest, c.afterBlock);
    for (let i = deepest; i >= 0 && i > deepest - 20; i--) {
      const e = entries.get(keys[i]!);
      if (e === undefined || e.expiresAt <= now) continue;
      e.expiresAt = now + ttlMs(e.ttl);
      return;
    }
  };

  return {
    entry: (key) => entries.get(key),
    maxTurns(family, now) {
      const f = families.get(family);
      if (!f || f.deepest.turn < 2 || f.deepest.resent || f.deepest.at.length < minEndedAtLimit)
        return undefined;
      const seen = f.life.estimate(familyMinTails, now);
      if (!seen?.continuation) return undefined;
      // Were conversations free to go on, each request at the deepest turn would have been followed, by its age,
      // with probability continuation × P(a next turn has come by then). None was (a deeper request would have
      // moved the deepest turn on): how likely is that if there is no limit?
      const t = now ?? Date.now();
      let chance = 1;
      let ended = 0;
      for (const at of f.deepest.at) {
        const by = f.life.returnedBy(t - at);
        if (by === undefined || by <= 0) continue;
        chance *= 1 - seen.continuation * by;
        ended++;
      }
      return ended >= minEndedAtLimit && chance < limitEvidence ? f.deepest.turn : undefined;
    },
    advise(key, role, family, now) {
      if (role === "tail") {
        if (now !== undefined) settle(now); // tails that expired since the last observation count now
        // With a family, only its own tails count (from its minWrites-th tail on, as for any prefix).
        const s = family === undefined ? tails : families.get(family)?.stats;
        return s && skip(s)
          ? `the advisor saw ${s.writes} tails written and none read by the next request`
          : undefined;
      }
      if (role === "history" || role === "turn" || role === "user") return undefined;
      const s = prefixes.get(key);
      const seen = withPending(s, now);
      if (seen && seen.returns >= Math.max(3, minSamples) && seen.within1h === 0) {
        return `the advisor saw this ${seen.tokens}-token prefix come back ${seen.returns} times, never within an hour`;
      }
      // Never read because it came back after its 5m entry expired, but within an hour: a longer TTL is the answer,
      // not giving up (the planner's cost model still skips it if the model has no longer TTL).
      if (seen && seen.within1h > seen.within5m) return undefined;
      return s && skip(s)
        ? `the advisor saw this ${s.tokens}-token prefix written ${s.writes} times and never read`
        : undefined;
    },
    observed(key, role, family, now) {
      if (role === "tail" || role === "history" || role === "turn") {
        // Until enough tails have a known fate at five minutes, the hints decide.
        if (family === undefined) return allTails.estimate(Math.max(familyMinTails, minSamples), now);
        return families.get(family)?.life.estimate(familyMinTails, now);
      }
      const s = withPending(prefixes.get(key), now);
      const prior = byRole.get(role);
      const priorReuse = prior ? reuse(prior, minSamples * 2) : undefined;
      if (!priorReuse) return s ? reuse(s, minSamples) : undefined;
      // Shrink this prefix's own returns toward its role's (empirical Bayes, prior weight `priorWeight`): a
      // young prefix has seen only its first burst, while other prefixes of the role already show the long gaps.
      const n = s?.returns ?? 0;
      const pool = (own: number, rate: number) => (own + priorWeight * rate) / (n + priorWeight);
      return {
        hitRate: {
          "5m": pool(s?.within5m ?? 0, priorReuse.hitRate["5m"]),
          "1h": pool(s?.within1h ?? 0, priorReuse.hitRate["1h"]),
        },
        samples: n + priorReuse.samples,
      };
    },
    observe({ plan, layout, usage, at }) {
      observations++;
      const now = at ?? Date.now();
      settle(now);
      const keys = prefixKeys(layout);
      // Learning goes by the steady keys (a system prompt that differs only in the time is one prompt); the cache
      // entries and the tails a next turn continues go by the exact ones.
      const steady = steadyPrefixKeys(layout, keys);
      const family = familyFor(familyKey(layout, steady));
      const read = usage.cacheReadInputTokens;
      // The deepest turn reached, and when requests got there: a conversation that goes on moves it deeper.
      const turn = userTurns(layout.blocks);
      const deepest = family.deepest;
      if (turn > deepest.turn) {
        deepest.turn = turn;
        deepest.at = [now];
        deepest.resent = false;
      } else if (turn === deepest.turn && deepest.at.length < 64) deepest.at.push(now);
      // A conversation continued: its previous tail is a prefix of this request.
      for (let i = keys.length - 1; i >= 0; i--) {
        const open = openTails.get(keys[i]!);
        if (open === undefined) continue;
        if (open.at === Number.POSITIVE_INFINITY) break; // this tail's continuation was already counted
        if (open.turn === turn && turn === deepest.turn) deepest.resent = true;
        open.family.life.continued(open.inFamily, now);
        allTails.continued(open.inAll, now);
        if (open.tokens <= read) {
          tails.reads++;
          open.family.stats.reads++;
        }
        open.settled = true; // counted once, and never as unread
        open.at = Number.POSITIVE_INFINITY;
        break;
      }
      if (read > 0) refreshRead(keys, plan, now);
      for (const c of plan.checkpoints) {
        if (c.afterBlock < 0) continue;
        const key = keys[c.afterBlock]!;
        entries.set(key, { ttl: c.ttl, expiresAt: now + ttlMs(c.ttl) });
        if (c.role === "tail") {
          const tail: OpenTail = {
            at: now,
            expires: now + ttlMs(c.ttl),
            tokens: c.prefixTokens,
            family,
            written: c.prefixTokens > read && usage.cacheWriteInputTokens > 0,
            settled: false,
            turn,
            inFamily: family.life.add(now),
            inAll: allTails.add(now),
          };
          openTails.set(key, tail);
          unsettled.push(tail);
          continue;
        }
        const steadyKey = steady[c.afterBlock]!;
        const s = prefixes.get(steadyKey) ?? fresh(c.prefixTokens);
        // A prefix that holds a per-request value "comes back" without its content doing so: its gaps say nothing
        // about what a TTL would hit, so only its writes and reads count (written again and again, never read: given up).
        if (steadyKey === key) {
          if (s.lastSeen !== undefined) {
            record(s, now - s.lastSeen);
            const r = byRole.get(c.role) ?? fresh(0);
            byRole.set(c.role, r);
            record(r, now - s.lastSeen);
          }
          s.lastSeen = now;
        }
        if (read >= c.prefixTokens) s.reads++;
        else if (usage.cacheWriteInputTokens > 0) s.writes++;
        prefixes.set(steadyKey, s);
      }
    },
  };
}

/** The TTLs an observation covers, for messages. @internal */
export const observedTtls: readonly Ttl[] = ["5m", "1h"];
