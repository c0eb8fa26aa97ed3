import { costOf, effectivePrices, prefixKeys, type ResolvedModel, ttlMs } from "@cachepoint/core";
import type { WorkloadRequest } from "./workloads.js";

/**
 * A hindsight lower bound on the cost of a workload. Every block of every request is billed on its own
 * (its tokens are the increment its prefix adds), and for each distinct prefix (per account, Region and model)
 * the cheapest legal history is chosen knowing every future request: at each occurrence the block is either
 * read (when an entry covering it is alive), or sent uncached, or written with a 5m or a 1h TTL. It ignores
 * the 4-checkpoint budget, the minimum tokens, the lookback window and the price of the deeper writes that
 * keep a prefix covered, and it lets any read upgrade the covering entry to a 1h lifetime for free (a deeper
 * 1h checkpoint can do that). Every real strategy bills each block as uncached, read, or written at a TTL, and
 * can only read a block whose prefix was written before and kept alive by requests that contain it (every
 * refresh of a covering entry is an occurrence of the prefix), so none can cost less. Output tokens are added
 * at their price, the same for every strategy.
 */
export function lowerBound(
  requests: readonly WorkloadRequest[],
  modelOf: (r: WorkloadRequest) => ResolvedModel,
): number {
  // Occurrences of each prefix: times and the tokens its last block adds.
  const occ = new Map<string, { times: number[]; tokens: number; model: ResolvedModel }>();
  let output = 0;
  for (const r of requests) {
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
    const keys = prefixKeys(r.layout);
    keys.forEach((k, i) => {
      const key = `${r.accountId}|${r.region}|${model.id}|${k}`;
      let o = occ.get(key);
      if (!o) {
        o = { times: [], tokens: r.layout.blocks[i]!.tokens, model };
        occ.set(key, o);
      }
      o.times.push(r.at);
    });
  }
  let total = output;
  for (const { times, tokens, model } of occ.values()) {
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
          // Read; optimistically the covering entry becomes (or stays) a 1h one.
          const to = hasHour ? 2 : s;
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
