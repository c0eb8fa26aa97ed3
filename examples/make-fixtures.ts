// Regenerates the example request and trace files the CLI docs and tests use: `pnpm tsx examples/make-fixtures.ts`.
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const policy = Array.from(
  { length: 240 },
  (_, i) =>
    `${i + 1}. Refunds within 30 days with a receipt; store credit otherwise; escalate legal threats.`,
).join("\n");
const write = (name: string, value: unknown) =>
  writeFileSync(resolve(here, name), `${JSON.stringify(value, null, 2)}\n`);

const request = (extra: string) => ({
  modelId: "us.anthropic.claude-sonnet-4-6",
  system: [{ text: `${policy}${extra}` }, { cachePoint: { type: "default" } }],
  messages: [{ role: "user", content: [{ text: "Can I return a gift without a receipt?" }] }],
});
write("requests/support.json", request(""));
write("requests/support-with-timestamp.json", request("\nCurrent time: 2026-11-22T10:15:00Z"));
write("requests/nova-with-tools.json", {
  modelId: "us.amazon.nova-pro-v1:0",
  system: [{ text: policy }],
  toolConfig: {
    tools: [
      {
        toolSpec: {
          name: "lookup_order",
          description: "Looks an order up",
          inputSchema: { json: { type: "object", properties: { id: { type: "string" } } } },
        },
      },
      { cachePoint: { type: "default" } },
    ],
  },
  messages: [{ role: "user", content: [{ text: "Where is order 42?" }] }],
});

// A JSONL trace: three users chatting with one shared system prompt, think times from 20 s to 7 min.
const lines: string[] = [];
let t = 0;
for (let user = 0; user < 3; user++) {
  const messages: { role: string; content: { text: string }[] }[] = [];
  let at = user * 45_000;
  for (let turn = 0; turn < 6; turn++) {
    messages.push({
      role: "user",
      content: [{ text: `user ${user} turn ${turn}: ${"question detail ".repeat(40)}` }],
    });
    lines.push(
      JSON.stringify({
        t: at,
        model: "us.anthropic.claude-sonnet-4-6",
        account: "111111111111",
        region: "us-east-1",
        outputTokens: 120,
        converse: { system: [{ text: policy }], messages: [...messages] },
      }),
    );
    messages.push({ role: "assistant", content: [{ text: `answer ${turn} ${"reply ".repeat(60)}` }] });
    at += [20_000, 90_000, 420_000, 45_000, 30_000][turn % 5]!;
    t = Math.max(t, at);
  }
}
writeFileSync(resolve(here, "traces/chat.jsonl"), `${lines.join("\n")}\n`);

// The same kind of traffic as Bedrock model invocation log records (what Bedrock writes to S3/CloudWatch).
const logs = Array.from({ length: 8 }, (_, i) => ({
  schemaType: "ModelInvocationLog",
  schemaVersion: "1.0",
  timestamp: new Date(Date.UTC(2026, 10, 20, 9, 0, 0) + i * 150_000).toISOString(),
  accountId: "111111111111",
  identity: { arn: "arn:aws:sts::111111111111:assumed-role/app/session" },
  region: "us-east-1",
  requestId: `00000000-0000-4000-8000-00000000000${i}`,
  operation: "InvokeModel",
  modelId: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
  input: {
    inputContentType: "application/json",
    inputBodyJson: {
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 300,
      system: `${policy}\n${policy}`,
      messages: [{ role: "user", content: `ticket ${i}: my parcel is late` }],
    },
    inputTokenCount: 9000,
  },
  output: {
    outputContentType: "application/json",
    outputBodyJson: { usage: { input_tokens: 9000, output_tokens: 150 } },
    outputTokenCount: 150,
  },
}));
write("traces/invocation-logs.json", logs);
