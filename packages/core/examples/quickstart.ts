import {
  buildLayout,
  costOf,
  explainMiss,
  normalizeUsage,
  planCheckpoints,
  resolveModel,
} from "@cachepoint/core";

// 1. Resolve the model ID you call Bedrock with: rules and prices follow from it.
const model = resolveModel("us.anthropic.claude-sonnet-4-6");

// 2. Describe the request (adapters do this from a real Converse or InvokeModel request).
const policy = "Refunds are accepted within 30 days of delivery with a receipt. ".repeat(120);
const layout = buildLayout({
  system: [policy],
  messages: [{ role: "user", content: "Can I return a gift without a receipt?" }],
});

// 3. Plan: where the checkpoints go, why, and what Bedrock would reject or ignore.
const plan = planCheckpoints(layout, model);
export const checkpoints = plan.checkpoints.map((c) => `${c.path} ${c.ttl} ${c.prefixTokens}`);
export const problems = plan.diagnostics.filter((d) => d.severity !== "info").map((d) => d.code);

// 4. Price what Bedrock reported (any usage shape: Converse, Anthropic, stream metrics, headers).
const usage = normalizeUsage({
  inputTokens: 12,
  cacheReadInputTokens: 1562,
  cacheWriteInputTokens: 0,
  outputTokens: 80,
});
export const cost = costOf(usage, model);

// 5. Ask why a second request missed.
const next = buildLayout({
  system: [`${policy} Today is 2026-11-22.`],
  messages: [{ role: "user", content: "Can I return a gift without a receipt?" }],
});
const sent = (l: typeof layout) => ({
  ...l,
  checkpoints: plan.checkpoints.map((c) => ({
    afterBlock: c.afterBlock,
    ttl: c.ttl,
    path: c.path,
    section: c.section,
  })),
});
export const why = explainMiss(sent(layout), sent(next), { model });
