import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { type CachepointReport, cachepoint, prepareConverse } from "@cachepoint/converse";
import { createMockClient, MockBedrock } from "@cachepoint/mock-transport";

// Any BedrockRuntimeClient works; here it talks to cachepoint's offline mock.
const client = createMockClient(new MockBedrock());
const reports: CachepointReport[] = [];
client.middlewareStack.use(cachepoint({ strategy: "auto", onReport: (r) => reports.push(r) }));

const system = [
  { text: "You are the support agent for Example Corp. Follow this policy exactly. ".repeat(150) },
];
for (const question of ["Can I return a gift?", "What if it arrived damaged?"]) {
  await client.send(
    new ConverseCommand({
      modelId: "us.anthropic.claude-sonnet-4-6",
      system,
      messages: [{ role: "user", content: [{ text: question }] }],
    }),
  );
}
export const perCall = reports.map((r) => ({
  checkpoints: r.plan?.checkpoints.map((c) => `${c.path} (${c.role})`),
  read: r.usage?.cacheReadInputTokens,
  written: r.usage?.cacheWriteInputTokens,
  savedUsd: r.cost?.savedUsd,
}));

// Without the plugin: plan and write one request yourself.
const { request, plan } = prepareConverse({
  modelId: "us.amazon.nova-pro-v1:0",
  system,
  toolConfig: { tools: [{ toolSpec: { name: "lookup", inputSchema: { json: { type: "object" } } } }] },
  messages: [{ role: "user", content: [{ text: "hello" }] }],
});
export const novaSystem = request.system;
export const novaCheckpointSections = plan.checkpoints.map((c) => c.section);
