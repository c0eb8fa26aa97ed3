// The quickstart's runnable example until the CLI exists: plan a request for a model, show where the
// checkpoints go and why, and what caching costs and saves.
import { buildLayout, costOf, planCheckpoints, resolveModel, savingsPerWindow } from "@cachepoint/core";

const model = resolveModel(process.argv[2] ?? "us.anthropic.claude-sonnet-4-6");
const instructions =
  "You are a careful support agent for Example Corp. Follow the policy below exactly.\n".repeat(220);
const layout = buildLayout({
  system: [{ text: instructions }],
  messages: [
    { role: "user", content: "My order #1234 arrived damaged. What are my options?" },
    { role: "assistant", content: "I'm sorry to hear that. You can choose a refund or a replacement." },
    { role: "user", content: "A replacement, please. How long will it take?" },
  ],
});

const plan = planCheckpoints(layout, model);
console.log(`${model.name} (${model.requestedId}), route ${model.route}: ${plan.totalTokens} tokens\n`);
for (const c of plan.checkpoints) console.log(`  checkpoint after ${c.path} [${c.ttl}] ${c.reason}`);
for (const d of plan.diagnostics) console.log(`  ${d.severity} ${d.code}: ${d.message}`);
if (plan.estimate) {
  const e = plan.estimate;
  console.log(
    `\n  cold $${e.coldUsd.toFixed(6)}  warm $${e.warmUsd.toFixed(6)}  uncached $${e.uncachedUsd.toFixed(6)}  break-even ${e.breakEvenReads.toFixed(2)} reads`,
  );
}
const write = costOf(
  {
    inputTokens: 20,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: plan.cachedTokens,
    cacheWriteByTtl: { "5m": plan.cachedTokens, "1h": 0, "30m": 0 },
    outputTokens: 100,
  },
  model,
);
const read = costOf(
  {
    inputTokens: 20,
    cacheReadInputTokens: plan.cachedTokens,
    cacheWriteInputTokens: 0,
    cacheWriteByTtl: { "5m": 0, "1h": 0, "30m": 0 },
    outputTokens: 100,
  },
  model,
);
console.log(
  `  first request $${write.totalUsd.toFixed(6)} (${write.savedPct.toFixed(1)}% vs uncached), later requests $${read.totalUsd.toFixed(6)} (${read.savedPct.toFixed(1)}% saved)`,
);
for (const n of [1, 2, 5, 10]) {
  const s = savingsPerWindow(model, "5m", plan.cachedTokens, n);
  console.log(
    `  ${String(n).padStart(2)} request(s) per 5-minute window: ${s.savedPct >= 0 ? "saves" : "costs"} ${Math.abs(s.savedPct).toFixed(0)}%`,
  );
}
