import { addUsage, type CacheUsage, costOf, type ResolvedModel, resolveModel } from "@cachepoint/core";
import { CacheSimulator, createManualClock } from "@cachepoint/mock-transport";
import type { Strategy } from "./strategies.js";
import type { WorkloadRequest } from "./workloads.js";

export interface ReplayResult {
  strategy: string;
  kind: Strategy["kind"];
  costUsd: number;
  /** Requests that read anything from the cache. */
  hitRatio: number;
  /** Cache-read tokens over all input tokens. */
  readShare: number;
  usage: CacheUsage;
}

const models = new Map<string, ResolvedModel>();
export const modelOf = (r: WorkloadRequest): ResolvedModel => {
  let m = models.get(r.modelId);
  if (!m) {
    m = resolveModel(r.modelId);
    models.set(r.modelId, m);
  }
  return m;
};

/** Replays a workload in time order through the cache simulator with one strategy, and prices every request. */
export function replay(requests: readonly WorkloadRequest[], strategy: Strategy): ReplayResult {
  const clock = createManualClock(requests[0]?.at ?? 0);
  const sim = new CacheSimulator({ clock });
  let cost = 0;
  let hits = 0;
  const usages: CacheUsage[] = [];
  for (const r of requests) {
    clock.set(r.at);
    const model = modelOf(r);
    const checkpoints = strategy.place(r.layout, model, r.at, r.app);
    const sent = { ...r.layout, checkpoints };
    const res = sim.simulate({
      accountId: r.accountId,
      region: r.region,
      modelId: model.id,
      rules: model.rules,
      layout: sent,
    });
    res.commit();
    const usage = { ...res.usage, outputTokens: r.outputTokens };
    strategy.observe?.(r.layout, checkpoints, usage, r.at, r.app);
    usages.push(usage);
    if (usage.cacheReadInputTokens > 0) hits++;
    cost += costOf(usage, model).totalUsd;
  }
  const u = addUsage(...usages);
  const input = u.inputTokens + u.cacheReadInputTokens + u.cacheWriteInputTokens;
  return {
    strategy: strategy.name,
    kind: strategy.kind,
    costUsd: cost,
    hitRatio: requests.length ? hits / requests.length : 0,
    readShare: input ? u.cacheReadInputTokens / input : 0,
    usage: u,
  };
}
