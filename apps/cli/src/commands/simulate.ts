import { writeFileSync } from "node:fs";
import {
  addUsage,
  type CachePlan,
  type CacheUsage,
  costOf,
  createCacheAdvisor,
  type PromptLayout,
  type ResolvedModel,
  validateCheckpoints,
} from "@cachepoint/core";
import { CacheSimulator, createManualClock } from "@cachepoint/mock-transport";
import cliProgress from "cli-progress";
import { cliModels, resolveCliModel } from "../lib/cliModels.js";
import { renderReport } from "../lib/htmlReport.js";
import { int, type Out, pct, printJson, table, usd } from "../lib/output.js";
import { prepare } from "../lib/readRequest.js";
import { readTrace } from "../lib/readTrace.js";

export type SimStrategy = "none" | "as-sent" | "static-prefix" | "conversation" | "auto" | "auto+advisor";

export interface StrategyResult {
  strategy: SimStrategy;
  requests: number;
  rejected: number;
  costUsd: number;
  savedPctVsNone: number | null;
  hitRatio: number;
  readShare: number;
  usage: CacheUsage;
}

/** The strategies the planner itself runs. */
type PlannedStrategy = "static-prefix" | "conversation" | "auto";

/** One diagnostic code the planner gave on a trace's requests: how many, and the first message. */
interface PlanWarning {
  code: string;
  requests: number;
  example: string;
  /** The last request counted, so a code given twice on one request counts once. */
  lastRequest: unknown;
}

/** Replays a workload under each strategy through the cache simulator and prices it. */
export async function simulate(
  o: { trace: string; strategies: SimStrategy[]; report?: string; aliases?: Record<string, string> },
  out: Out,
): Promise<StrategyResult[]> {
  const records = readTrace(o.trace);
  const registry = cliModels(o.aliases);
  const models = new Map<string, ResolvedModel>();
  const modelOf = (id: string, region: string) => {
    const key = `${id}|${region}`;
    let m = models.get(key);
    if (!m) {
      m = resolveCliModel("simulate", id, registry, region);
      models.set(key, m);
    }
    return m;
  };
  // Read every request once; strategies only change the checkpoints.
  const prepared = records.map((r) => {
    const model = modelOf(r.modelId, r.region);
    const manual = prepare(r.kind, r.payload, model, { strategy: "manual" });
    return { r, model, layout: manual.layout };
  });
  const total = o.strategies.length * prepared.length;
  const bar =
    !out.json && process.stderr.isTTY && total > 2000
      ? new cliProgress.SingleBar(
          { format: "simulating {bar} {value}/{total}" },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  bar?.start(total, 0);
  const results: StrategyResult[] = [];
  // What the planner warned about on each planned strategy's requests: a warning on most of a trace (the time in
  // every system prompt) is why a strategy saves nothing, and the table alone would not say so.
  const warnedBy = new Map<SimStrategy, Map<string, PlanWarning>>();
  for (const strategy of o.strategies) {
    const clock = createManualClock(prepared[0]!.r.at);
    const sim = new CacheSimulator({ clock });
    // auto+advisor learns along the replay from what the simulated cache did, as the plugin learns from Bedrock.
    const advisor = strategy === "auto+advisor" ? createCacheAdvisor() : undefined;
    let cost = 0;
    let rejected = 0;
    let hits = 0;
    const usages: CacheUsage[] = [];
    for (const { r, model, layout } of prepared) {
      clock.set(r.at);
      let sent: PromptLayout;
      let planned: { plan: CachePlan; layout: PromptLayout } | undefined;
      if (strategy === "none") sent = { ...layout, checkpoints: [] };
      else if (strategy === "as-sent") {
        const bad =
          validateCheckpoints(layout, model.rules).some((i) => i.diagnostic.severity === "error") ||
          (layout.checkpoints.length > 0 && !model.rules.supportsExplicitCaching);
        if (bad) {
          rejected++;
          bar?.increment();
          continue;
        }
        sent = layout;
      } else {
        const p = prepare(
          r.kind,
          r.payload,
          model,
          advisor ? { strategy: "auto", advisor, now: r.at } : { strategy: strategy as PlannedStrategy },
        );
        const plan = p.plan;
        planned = { plan, layout: p.layout };
        const warned = warnedBy.get(strategy) ?? new Map<string, PlanWarning>();
        warnedBy.set(strategy, warned);
        for (const d of plan.diagnostics) {
          if (d.severity === "info" || warned.get(d.code)?.lastRequest === r) continue;
          const w = warned.get(d.code);
          if (w) {
            w.requests++;
            w.lastRequest = r;
          } else warned.set(d.code, { code: d.code, requests: 1, example: d.message, lastRequest: r });
        }
        sent = {
          ...layout,
          checkpoints: plan.checkpoints.map((c) => ({
            afterBlock: c.afterBlock,
            ttl: c.ttl,
            path: c.path,
            section: c.section,
          })),
        };
      }
      const res = sim.simulate({
        accountId: r.accountId,
        region: r.region,
        modelId: model.id,
        rules: model.rules,
        layout: sent,
      });
      res.commit();
      const usage = { ...res.usage, outputTokens: r.outputTokens };
      if (advisor && planned) advisor.observe({ ...planned, usage, at: r.at });
      usages.push(usage);
      if (usage.cacheReadInputTokens > 0) hits++;
      if (model.price) cost += costOf(usage, model).totalUsd;
      bar?.increment();
    }
    const u = addUsage(...usages);
    const input = u.inputTokens + u.cacheReadInputTokens + u.cacheWriteInputTokens;
    results.push({
      strategy,
      requests: usages.length,
      rejected,
      costUsd: cost,
      savedPctVsNone: null,
      hitRatio: usages.length ? hits / usages.length : 0,
      readShare: input ? u.cacheReadInputTokens / input : 0,
      usage: u,
    });
  }
  bar?.stop();
  const none = results.find((x) => x.strategy === "none");
  for (const x of results)
    x.savedPctVsNone = none && none.costUsd > 0 ? ((none.costUsd - x.costUsd) / none.costUsd) * 100 : null;
  const unpriced = [...models.values()].filter((m) => !m.price).map((m) => m.requestedId);
  // The warnings of `auto`'s plans (or of the last planned strategy's), most frequent first.
  const warnedOn = o.strategies.includes("auto") ? "auto" : [...warnedBy.keys()].at(-1);
  const warnings = [...(warnedOn ? (warnedBy.get(warnedOn)?.values() ?? []) : [])]
    .sort((a, b) => b.requests - a.requests)
    .map(({ code, requests, example }) => ({ code, requests, example }));
  if (o.report) {
    writeFileSync(
      o.report,
      renderReport({
        title: "cachepoint simulate",
        subtitle: `${records.length} requests from ${o.trace}, replayed through the cache simulator`,
        figures: results.map((x) => [x.strategy, usd(x.costUsd)] as [string, string]),
        charts: [
          {
            title: "Cost by strategy",
            unit: "USD",
            labels: results.map((x) => x.strategy),
            series: [{ name: "cost", color: "#7c3aed", values: results.map((x) => x.costUsd) }],
          },
          {
            title: "Input tokens by strategy",
            unit: "tokens",
            labels: results.map((x) => x.strategy),
            series: [
              {
                name: "cache read",
                color: "#16a34a",
                values: results.map((x) => x.usage.cacheReadInputTokens),
              },
              {
                name: "cache write",
                color: "#f59e0b",
                values: results.map((x) => x.usage.cacheWriteInputTokens),
              },
              { name: "uncached", color: "#9ca3af", values: results.map((x) => x.usage.inputTokens) },
            ],
          },
        ],
        table: {
          head: ["strategy", "cost", "saved vs none", "hit ratio", "read share", "rejected"],
          rows: results.map((x) => [
            x.strategy,
            usd(x.costUsd),
            x.savedPctVsNone === null ? "–" : pct(x.savedPctVsNone),
            pct(x.hitRatio * 100),
            pct(x.readShare * 100),
            x.rejected,
          ]),
        },
      }),
    );
  }
  if (out.json) {
    printJson({
      trace: o.trace,
      requests: records.length,
      strategies: results,
      ...(warnedOn && warnings.length > 0 && { warnings: { strategy: warnedOn, byCode: warnings } }),
      ...(unpriced.length && { unpriced }),
    });
    return results;
  }
  out.log(
    `${records.length} requests from ${o.trace} (${new Set(records.map((r) => r.modelId)).size} model(s), ${new Set(records.map((r) => r.accountId)).size} account(s)), replayed through the cache simulator:`,
  );
  out.log(
    table(
      ["strategy", "cost", "saved vs none", "hit ratio", "read share", "written tokens", "rejected"],
      results.map((x) => [
        x.strategy,
        usd(x.costUsd),
        x.savedPctVsNone === null ? "–" : pct(x.savedPctVsNone),
        pct(x.hitRatio * 100),
        pct(x.readShare * 100),
        int(x.usage.cacheWriteInputTokens),
        x.rejected,
      ]),
      ["left", "right", "right", "right", "right", "right", "right"],
    ),
  );
  const best = [...results].sort((a, b) => a.costUsd - b.costUsd)[0];
  if (best) out.log(`cheapest: ${best.strategy}`);
  if (warnings.length > 0) {
    out.log(`the planner's warnings (${warnedOn}):`);
    for (const w of warnings)
      out.log(`  ${w.code} on ${int(w.requests)} of ${int(records.length)} requests, e.g. ${w.example}`);
  }
  if (results.some((x) => x.rejected > 0))
    out.log("rejected: requests whose own checkpoints Bedrock would refuse (they are not priced).");
  if (unpriced.length) out.log(`note: no price for ${unpriced.join(", ")}; those requests cost $0 here.`);
  if (o.report) out.log(`report: ${o.report}`);
  return results;
}
