import { costOf, effectivePrices, prefixKeys, type ResolvedModel, ttlMs } from "@cachepoint/core";
import type { WorkloadRequest } from "./workloads.js";

/**
 * A hindsight lower bound on the cost of a workload. Every block of every request is billed on its own
 * (its tokens are the increment its prefix adds), and for each distinct prefix (per account, Region and model)
 * the cheapest legal history is chosen knowing every future request: at each occurrence the block is either
 * read (when an entry covering it is alive), or sent uncached, or written with a 5m or a 1h TTL. It ignores
 * the 4-checkpoint budget, the minimum tokens, the lookback window and the price of the deeper writes that
 * keep a prefix covered, and treats every covering entry as refreshed at every occurrence of the prefix.
 *
 * A read does not change the TTL of the entry it reads (the cache simulator's rule: an entry keeps the TTL it
 * was written with). The block can still come to be covered by a 1h entry without being written again: when the
 * same request writes a deeper 1h checkpoint. That helps only a later request containing that deeper block, so
 * the bound lets a read upgrade the block to 1h coverage (for free) exactly when this request has a deeper block
 * that some later request also contains.
 *
 * Why no strategy beats it: every real strategy bills each block as uncached, read, or written at a TTL; a read
 * needs a live entry covering the block, written earlier in a request containing the prefix. An entry covering
 * the block with a 1h TTL comes either from writing the block itself at 1h (the 1h write price is paid on it: by
 * the ordering rule, a 1h checkpoint at or after a written block bills that block at the 1h rate) or from a 1h
 * checkpoint deeper in a request where the block was read, which is useful only if a later request contains
 * that deeper block — the case the bound lets through for free. Output tokens are added at their price, the same
 * for every strategy.
 */
export function lowerBound(
  requests: readonly WorkloadRequest[],
  modelOf: (r: WorkloadRequest) => ResolvedModel,
): number {
  // Occurrences of each prefix: times and the tokens its last block adds.
  const occ = new Map<
    string,
    { times: number[]; upgrade: boolean[]; tokens: number; model: ResolvedModel }
  >();
  // How many times each prefix occurs in all: a request's block at position p may be upgraded by a read when
  // some deeper prefix of the same request occurs again later.
  const remaining = new Map<string, number>();
  const keysOf = requests.map((r) => {
    const model = modelOf(r);
    const keys = prefixKeys(r.layout).map((k) => `${r.accountId}|${r.region}|${model.id}|${k}`);
    for (const k of keys) remaining.set(k, (remaining.get(k) ?? 0) + 1);
    return keys;
  });
  let output = 0;
  for (const [ri, r] of requests.entries()) {
    const model = modelOf(r);
    output += costOf(
      {
        inputTokens: 0,
        cacheReadInputTokens: 0,
        cacheWriteInputTokens: 0,
        cacheWriteByTtl: { "5m": 0, "1h": 0, "30m": 0 },
        outputTokens: r.outputTokens,
      },
      model,
    ).totalUsd;
    const keys = keysOf[ri]!;
    for (const k of keys) remaining.set(k, remaining.get(k)! - 1);
    // The deepest position whose prefix occurs again after this request.
    let deepestAgain = -1;
    for (let i = keys.length - 1; i >= 0; i--) {
      if (remaining.get(keys[i]!)! > 0) {
        deepestAgain = i;
        break;
      }
    }
    keys.forEach((key, i) => {
      let o = occ.get(key);
      if (!o) {
        o = { times: [], upgrade: [], tokens: r.layout.blocks[i]!.tokens, model };
        occ.set(key, o);
      }
      o.times.push(r.at);
      o.upgrade.push(i < deepestAgain);
    });
  }
  let total = output;
  for (const { times, upgrade, tokens, model } of occ.values()) {
    const p = effectivePrices(model);
    const hasHour = model.rules.ttls.includes("1h");
    // DP over occurrences. State after an occurrence: 0 = nothing covers the block, 1 = a 5m entry, 2 = a 1h entry.
    const INF = Number.POSITIVE_INFINITY;
    let cost = [0, INF, INF];
    for (let k = 0; k < times.length; k++) {
      const gap = k === 0 ? INF : times[k]! - times[k - 1]!;
      const next = [INF, INF, INF];
      for (let s = 0; s < 3; s++) {
        const c = cost[s]!;
        if (c === INF) continue;
        const alive = (s === 1 && gap < ttlMs("5m")) || (s === 2 && gap < ttlMs("1h"));
        if (alive) {
          // Read: the entry keeps its TTL, unless a deeper 1h write in this request can cover the block later.
          const to = hasHour && upgrade[k] ? 2 : s;
          next[to] = Math.min(next[to]!, c + p.cacheRead);
        } else {
          next[0] = Math.min(next[0]!, c + p.input);
          next[1] = Math.min(next[1]!, c + p.cacheWrite["5m"]);
          if (hasHour) next[2] = Math.min(next[2]!, c + p.cacheWrite["1h"]);
        }
      }
      cost = next;
    }
    total += (Math.min(...cost) * tokens) / 1e6;
  }
  return total;
}
