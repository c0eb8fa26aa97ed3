import { type CacheUsage, type ModelRules, type PromptLayout, type Ttl, ttlMs } from "@cachepoint/core";

interface Entry {
  scope: string;
  /** The whole prefix: the fingerprint of every block, compared element by element. */
  blocks: string[];
  tokens: number;
  ttl: Ttl;
  expiresAt: number;
  readable: boolean;
  lastUse: number;
}

/**
 * A deliberately simple, obviously correct model of Bedrock's prompt cache: whole prefixes in a list, linear
 * scans, no hashing. The fast `CacheSimulator` must agree with it on every counter.
 * Rules (bedrock-facts.md §4): writes only at checkpoints at or above the minimum (and within a cap); a read
 * walks back from each checkpoint up to the lookback window; the longest readable prefix is read and its entry
 * refreshed; the rest up to the last cached checkpoint is written, 1h up to the last 1h checkpoint and 5m after;
 * an entry expires exactly at its TTL; an entry is readable once its writer's response started; when over the
 * cap the least recently used entry goes (expired entries are removed when looked up).
 */
export class ReferenceCache {
  entries: Entry[] = [];
  #use = 0;
  constructor(readonly maxEntries: number) {}

  send(
    scope: string,
    layout: PromptLayout,
    rules: ModelRules,
    now: number,
  ): { usage: CacheUsage; commit: () => void } {
    const fps = layout.blocks.map((b) => b.fingerprint!);
    const cum: number[] = [];
    let sum = 0;
    for (const b of layout.blocks) {
      sum += b.tokens;
      cum.push(sum);
    }
    const cap = rules.maxCachedTokens ?? Number.POSITIVE_INFINITY;
    const points = layout.checkpoints.filter(
      (c) =>
        c.afterBlock >= 0 &&
        c.inside === undefined &&
        cum[c.afterBlock]! >= rules.minTokensPerCheckpoint &&
        cum[c.afterBlock]! <= cap,
    );
    const same = (e: Entry, upTo: number) =>
      e.scope === scope && e.blocks.length === upTo + 1 && e.blocks.every((f, i) => f === fps[i]);
    const find = (upTo: number) => {
      const i = this.entries.findIndex((e) => same(e, upTo));
      if (i < 0) return undefined;
      if (this.entries[i]!.expiresAt <= now) {
        this.entries.splice(i, 1);
        return undefined;
      }
      return this.entries[i];
    };
    let read = 0;
    for (const c of points) {
      for (let p = c.afterBlock; p >= Math.max(0, c.afterBlock - rules.lookbackBlocks + 1); p--) {
        const e = find(p);
        if (e?.readable) {
          read = Math.max(read, cum[p]!);
          e.expiresAt = now + ttlMs(e.ttl);
          e.lastUse = this.#use++;
          break;
        }
      }
    }
    const written: Entry[] = [];
    let last = read;
    let hourEnd = read;
    for (const c of points) {
      const tokens = cum[c.afterBlock]!;
      if (tokens <= read) continue;
      const ttl = c.ttl ?? "5m";
      let e = find(c.afterBlock);
      if (!e) {
        e = {
          scope,
          blocks: fps.slice(0, c.afterBlock + 1),
          tokens,
          ttl,
          expiresAt: 0,
          readable: false,
          lastUse: 0,
        };
        this.entries.push(e);
      }
      e.ttl = ttl;
      e.expiresAt = now + ttlMs(ttl);
      e.lastUse = this.#use++;
      written.push(e);
      last = Math.max(last, tokens);
      if (ttl === "1h") hourEnd = Math.max(hourEnd, tokens);
    }
    while (this.entries.length > this.maxEntries) {
      let lru = 0;
      for (let i = 1; i < this.entries.length; i++)
        if (this.entries[i]!.lastUse < this.entries[lru]!.lastUse) lru = i;
      this.entries.splice(lru, 1);
    }
    const usage: CacheUsage = {
      inputTokens: sum - last,
      cacheReadInputTokens: read,
      cacheWriteInputTokens: last - read,
      cacheWriteByTtl: { "5m": last - hourEnd, "1h": hourEnd - read, "30m": 0 },
      outputTokens: 0,
    };
    return {
      usage,
      commit: () => {
        for (const e of written) if (this.entries.includes(e)) e.readable = true;
      },
    };
  }
}
