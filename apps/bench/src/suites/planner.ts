import { prepareConverse } from "@cachepoint/converse";
import {
  buildLayout,
  createEstimator,
  type LayoutSpec,
  planCheckpoints,
  resolveModel,
} from "@cachepoint/core";
import { prepareInvokeModel } from "@cachepoint/invoke-model";
import { agentRequest, anthropicAgentBody, text } from "../agentRequests.js";
import { measure, table } from "../measure.js";

/** A typical chat request: ~15k-token system prompt, 10 turns of ~500 tokens. */
function chatSpec(system: string, turn: number): LayoutSpec {
  return {
    system: [system],
    messages: Array.from({ length: 10 }, (_, i) => ({
      role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
      content: [text(turn * 100 + i, 500)],
    })),
  };
}

/** An agent context: 200 blocks, 100k tokens (tools, system, tool calls and results). */
function bigSpec(): LayoutSpec {
  const messages: NonNullable<LayoutSpec["messages"]>[number][] = [];
  for (let i = 0; i < 64; i++) {
    messages.push({ role: "user", content: [text(i, 600), text(i + 1, 600)] });
    messages.push({ role: "assistant", content: [text(i + 2, 300)] });
  }
  return {
    tools: Array.from({ length: 8 }, (_, i) => text(900 + i, 400)),
    system: [text(7, 6000)],
    messages,
  };
}

export async function plannerSuite(timeMs: number): Promise<{ markdown: string; summary: string }> {
  const model = resolveModel("us.anthropic.claude-sonnet-4-6");
  const counter = createEstimator();
  const system = text(1, 15_000);
  const chat = chatSpec(system, 1);
  const big = bigSpec();
  const bigLayout = buildLayout(big, { counter });
  const chatLayout = buildLayout(chat, { counter });
  const chatBody = JSON.stringify({ system: [{ text: system }], messages: chat.messages });
  const bigBody = JSON.stringify(big);
  counter.count(system); // memoised, as it is on every request after the first
  // Real requests arrive as freshly parsed JSON: equal content, new string objects, so the memo must compare
  // content, not identity. 256 distinct copies, cycled.
  const copies = Array.from({ length: 256 }, () => chatSpec(system.split("").join(""), 1));
  let next = 0;
  const agent = agentRequest();
  const agentBody = anthropicAgentBody();

  const rows = await measure(
    [
      {
        name: "JSON.stringify of the 20k-token chat request",
        fn: () => JSON.stringify(JSON.parse(chatBody)),
      },
      { name: "plan 20k-token chat (layout ready)", fn: () => planCheckpoints(chatLayout, model) },
      {
        name: "count + plan 20k-token chat (system prompt memoised)",
        fn: () => planCheckpoints(buildLayout(chat, { counter }), model),
      },
      {
        name: "count + plan 20k-token chat, fresh string copies (as parsed from JSON)",
        fn: () => planCheckpoints(buildLayout(copies[next++ & 255]!, { counter }), model),
      },
      {
        name: "plan 200-block 100k-token agent context (layout ready)",
        fn: () => planCheckpoints(bigLayout, model),
      },
      {
        name: "count + plan 200-block 100k-token context (cold memo)",
        fn: () => planCheckpoints(buildLayout(big, { counter: createEstimator({ memoEntries: 0 }) }), model),
      },
      { name: "JSON.stringify of the 100k-token context", fn: () => JSON.stringify(JSON.parse(bigBody)) },
      {
        name: "JSON.stringify of a 100-step Converse agent request",
        fn: () => JSON.stringify(agent),
      },
      {
        // As an agent sends it: a new messages array each step, holding the same message objects as before.
        name: "prepareConverse of that request (read, count, plan, write)",
        fn: () => prepareConverse({ ...agent, messages: [...agent.messages!] }),
      },
      {
        name: "JSON.parse + stringify of the same agent as an InvokeModel (Anthropic) body",
        fn: () => JSON.stringify(JSON.parse(agentBody)),
      },
      {
        // The body arrives as JSON text: every string in it is new on each call.
        name: "prepareInvokeModel of that body (parse, read, count, plan, write)",
        fn: () => prepareInvokeModel(agentBody, { model }),
      },
    ],
    timeMs,
  );
  const tokens = `chat: ${chatLayout.blocks.length} blocks, ${Math.round(planCheckpoints(chatLayout, model).totalTokens)} tokens; agent: ${bigLayout.blocks.length} blocks, ${Math.round(planCheckpoints(bigLayout, model).totalTokens)} tokens`;
  const markdown = `## Planner (\`@cachepoint/core\`)\n\nLayouts: ${tokens} (default estimator). Baseline: a parse + stringify round trip of the chat request body, work every SDK call does anyway.\n\n${table(rows)}\n`;
  const summary = rows
    .map((r) => `${r.name}: median ${r.medianUs.toFixed(1)} µs (${(r.ratio ?? 1).toFixed(2)}×)`)
    .join("\n");
  return { markdown, summary };
}
