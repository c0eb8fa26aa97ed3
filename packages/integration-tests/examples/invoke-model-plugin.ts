import { InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import {
  type CachepointReport,
  cachepoint,
  getCachepointReport,
  prepareInvokeModel,
} from "@cachepoint/invoke-model";
import { createMockClient, MockBedrock } from "@cachepoint/mock-transport";

const client = createMockClient(new MockBedrock());
// One plugin for Converse, ConverseStream, InvokeModel and InvokeModelWithResponseStream.
client.middlewareStack.use(cachepoint({ hints: { requestsPerMinute: 1 / 15, nextTurnProbability: 0 } }));

const body = JSON.stringify({
  anthropic_version: "bedrock-2023-05-31",
  max_tokens: 200,
  system: "You summarise contracts. Always cite the clause. ".repeat(120), // a string: becomes a cached block
  messages: [{ role: "user", content: "Summarise clause 4." }],
});
const out = await client.send(new InvokeModelCommand({ modelId: "us.anthropic.claude-sonnet-4-6", body }));
const report: CachepointReport | undefined = getCachepointReport(out);
export const ttls = report?.plan?.checkpoints.map((c) => c.ttl); // one request every ~15 minutes: 1h pays
export const written1h = report?.usage?.cacheWriteByTtl["1h"];

// The legacy text-completion body (seed 001) cannot cache, and cachepoint says why.
const legacy = prepareInvokeModel(
  JSON.stringify({
    prompt: "Human: Test for caching.\n\nAssistant:",
    cache_control: { type: "default" },
    max_tokens: 10,
  }),
  { model: "us.anthropic.claude-3-7-sonnet-20250219-v1:0" },
);
export const legacyAdvice = legacy.diagnostics[0]?.message;
