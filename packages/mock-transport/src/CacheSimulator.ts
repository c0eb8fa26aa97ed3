import {
  type CacheUsage,
  chainFingerprint,
  type ModelRules,
  type PromptLayout,
  type Ttl,
  ttlMs,
} from "@cachepoint/core";
import type { Clock } from "./Clock.js";

/** One request as the simulator sees it: who sent it, where, to which model, and its layout as sent. @public */
export interface SimulatedRequest {
  readonly accountId: string;
  readonly region: string;
  /** Base model ID (entries are per model). */
  readonly modelId: string;
  readonly rules: ModelRules;
  /** Blocks must carry fingerprints; checkpoints are the ones in the request. */
  readonly layout: PromptLayout;
}

/** What the cache did for one request. @public */
export interface SimulationResult {
  readonly usage: CacheUsage;
  /** Block indexes whose entries were read (one per checkpoint that hit). */
  readonly hitsAt: readonly number[];
  /** Block indexes where entries were written. */
  readonly writtenAt: readonly number[];
  /**
   * Makes this request's writes readable. Call it when the response starts: an entry "only becomes
   * available after the first response begins", so parallel first requests both write.
   */
  commit(): void;
}

/** A cache entry as inspection shows it: hashes and counts, never prompt text. @public */
export interface CacheEntryInfo {
  readonly accountId: string;
  readonly region: string;
  readonly modelId: string;
  /** Prefix tokens the entry holds. */
  readonly tokens: number;
  readonly ttl: Ttl;
  readonly expiresAt: number;
  /** False while the request that wrote it has not started its response. */
  readonly readable: boolean;
  readonly hits: number;
}

/** Options for {@link CacheSimulator}. @public */
export interface CacheSimulatorOptions {
  clock: Clock;
  /** Entries kept at most; least recently used are evicted beyond it. Default 100,000. */
  maxEntries?: number;
}

interface Entry {
  accountId: string;
  region: string;
  modelId: string;
  tokens: number;
  ttl: Ttl;
  expiresAt: number;
  readable: boolean;
  hits: number;
}

/**
 * Bedrock's prompt cache as a deterministic engine. Entries are keyed by (account, region, model, chained
 * prefix hash), so one lookup per block position answers "is this exact prefix cached?". Writes happen only
 * at checkpoints whose cumulative prefix reaches the model's minimum (and, for Nova, stays within its cap);
 * reads walk back from each checkpoint up to the model's lookback window (20 blocks for Claude, the
 * checkpoint alone for Nova); the longest readable prefix is read, a hit refreshes the entry's TTL, and the
 * rest up to the last checkpoint is written, split by TTL as Anthropic bills mixed TTLs.
 * @example
 * const clock = createManualClock();
 * const sim = new CacheSimulator({ clock });
 * const r = sim.simulate({ accountId, region, modelId: model.id, rules: model.rules, layout });
 * r.commit(); // the response started
 * @public
 */
export class CacheSimulator {
  readonly #clock: Clock;
  readonly #max: number;
  readonly #entries = new Map<string, Entry>();
  #evictions = 0;

  constructor(options: CacheSimulatorOptions) {
    this.#clock = options.clock;
    this.#max = options.maxEntries ?? 100_000;
    if (!Number.isInteger(this.#max) || this.#max < 1)
      throw new RangeError(`maxEntries must be a whole number ≥ 1, got ${this.#max}`);
  }

  /** Entries evicted to respect `maxEntries` since the last reset. */
  get evictions(): number {
    return this.#evictions;
  }

  get size(): number {
    return this.#entries.size;
  }

  simulate(req: SimulatedRequest): SimulationResult {
    const { layout, rules } = req;
    const now = this.#clock.now();
    const n = layout.blocks.length;
    const cum = new Float64Array(n);
    const keys: string[] = new Array(n);
    const scope = `${req.accountId}\u0000${req.region}\u0000${req.modelId}\u0000`;
    let sum = 0;
    let h = "";
    for (let i = 0; i < n; i++) {
      const b = layout.blocks[i]!;
      sum += b.tokens;
      cum[i] = sum;
      h = chainFingerprint(h, b.fingerprint ?? `${b.kind}:${b.tokens}`);
      keys[i] = scope + h;
    }
    const total = sum;
    const cap = rules.maxCachedTokens ?? Number.POSITIVE_INFINITY;
    // Checkpoints that cache: inside the prompt, at or above the minimum, within the cap.
    const points = layout.checkpoints.filter(
      (c) =>
        c.afterBlock >= 0 &&
        c.inside === undefined &&
        cum[c.afterBlock]! >= rules.minTokensPerCheckpoint &&
        cum[c.afterBlock]! <= cap,
    );

    let readTokens = 0;
    const hitsAt: number[] = [];
    for (const c of points) {
      const stop = Math.max(0, c.afterBlock - rules.lookbackBlocks + 1);
      for (let p = c.afterBlock; p >= stop; p--) {
        const e = this.#live(keys[p]!, now);
        if (e?.readable) {
          if (cum[p]! > readTokens) readTokens = cum[p]!;
          // A hit refreshes the entry's TTL and its recency.
          e.expiresAt = now + ttlMs(e.ttl);
          e.hits++;
          this.#touch(keys[p]!, e);
          hitsAt.push(p);
          break;
        }
      }
    }

    const written: string[] = [];
    const writtenAt: number[] = [];
    let lastCached = readTokens;
    let oneHourEnd = readTokens;
    for (const c of points) {
      const tokens = cum[c.afterBlock]!;
      if (tokens <= readTokens) continue;
      const ttl: Ttl = c.ttl ?? "5m";
      const key = keys[c.afterBlock]!;
      const existing = this.#live(key, now);
      // A parallel first request may have written the same entry without starting its response yet:
      // both write, and the later write simply refreshes the entry.
      const entry: Entry = existing ?? {
        accountId: req.accountId,
        region: req.region,
        modelId: req.modelId,
        tokens,
        ttl,
        expiresAt: 0,
        readable: false,
        hits: 0,
      };
      entry.ttl = ttl;
      entry.expiresAt = now + ttlMs(ttl);
      this.#touch(key, entry);
      written.push(key);
      writtenAt.push(c.afterBlock);
      if (tokens > lastCached) lastCached = tokens;
      if (ttl === "1h" && tokens > oneHourEnd) oneHourEnd = tokens;
    }
    this.#evict();

    const write1h = oneHourEnd - readTokens;
    const write5m = lastCached - oneHourEnd;
    const usage: CacheUsage = {
      inputTokens: total - lastCached,
      cacheReadInputTokens: readTokens,
      cacheWriteInputTokens: write1h + write5m,
      cacheWriteByTtl: { "5m": write5m, "1h": write1h, "30m": 0 },
      outputTokens: 0,
    };
    const entries = this.#entries;
    return {
      usage,
      hitsAt,
      writtenAt,
      commit() {
        for (const k of written) {
          const e = entries.get(k);
          if (e) e.readable = true;
        }
      },
    };
  }

  /** Every live entry, without content. */
  entries(): CacheEntryInfo[] {
    const now = this.#clock.now();
    const out: CacheEntryInfo[] = [];
    for (const [k, e] of this.#entries) {
      if (e.expiresAt <= now) {
        this.#entries.delete(k);
        continue;
      }
      out.push({ ...e });
    }
    return out;
  }

  reset(): void {
    this.#entries.clear();
    this.#evictions = 0;
  }

  #live(key: string, now: number): Entry | undefined {
    const e = this.#entries.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return e;
  }

  #touch(key: string, e: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, e);
  }

  #evict(): void {
    while (this.#entries.size > this.#max) {
      this.#entries.delete(this.#entries.keys().next().value as string);
      this.#evictions++;
    }
  }
}
