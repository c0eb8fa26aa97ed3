import {
  type BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import {
  type CacheUsage,
  fromAnthropicUsage,
  fromConverseUsage,
  fromInvocationMetrics,
} from "@cachepoint/core";

export const MODEL = "us.anthropic.claude-sonnet-4-6";
export const POLICY =
  "Refunds are accepted within 30 days of delivery with a receipt; store credit otherwise. ".repeat(120);

/** Sends one request of an operation with a cached system prompt and returns the usage the client saw. */
export type Op = (client: BedrockRuntimeClient, ttl?: "5m" | "1h", question?: string) => Promise<CacheUsage>;

const converseInput = (ttl: "5m" | "1h" | undefined, question: string) => ({
  modelId: MODEL,
  system: [{ text: POLICY }, { cachePoint: { type: "default" as const, ...(ttl && { ttl }) } }],
  messages: [{ role: "user" as const, content: [{ text: question }] }],
});

const anthropicBody = (ttl: "5m" | "1h" | undefined, question: string) =>
  JSON.stringify({
    anthropic_version: "bedrock-2023-05-31",
    max_tokens: 256,
    system: [{ type: "text", text: POLICY, cache_control: { type: "ephemeral", ...(ttl && { ttl }) } }],
    messages: [{ role: "user", content: question }],
  });

export const ops: Record<string, Op> = {
  Converse: async (c, ttl, q = "Can I return a gift?") =>
    fromConverseUsage((await c.send(new ConverseCommand(converseInput(ttl, q)))).usage),
  ConverseStream: async (c, ttl, q = "Can I return a gift?") => {
    const out = await c.send(new ConverseStreamCommand(converseInput(ttl, q)));
    let usage: CacheUsage | undefined;
    let text = "";
    for await (const ev of out.stream!) {
      if (ev.contentBlockDelta?.delta?.text) text += ev.contentBlockDelta.delta.text;
      if (ev.metadata) usage = fromConverseUsage(ev.metadata.usage);
    }
    if (!text) throw new Error("stream carried no text");
    return usage!;
  },
  InvokeModel: async (c, ttl, q = "Can I return a gift?") => {
    const out = await c.send(
      new InvokeModelCommand({
        modelId: MODEL,
        contentType: "application/json",
        body: anthropicBody(ttl, q),
      }),
    );
    return fromAnthropicUsage(JSON.parse(out.body.transformToString()).usage);
  },
  InvokeModelWithResponseStream: async (c, ttl, q = "Can I return a gift?") => {
    const out = await c.send(
      new InvokeModelWithResponseStreamCommand({
        modelId: MODEL,
        contentType: "application/json",
        body: anthropicBody(ttl, q),
      }),
    );
    let usage: CacheUsage | undefined;
    for await (const ev of out.body!) {
      const inner = JSON.parse(new TextDecoder().decode(ev.chunk!.bytes));
      if (inner["amazon-bedrock-invocationMetrics"])
        usage = fromInvocationMetrics(inner["amazon-bedrock-invocationMetrics"]);
    }
    return usage!;
  },
};

/** CountTokens answers a count, not a cache outcome. */
export async function countTokens(c: BedrockRuntimeClient): Promise<number> {
  const out = await c.send(
    new CountTokensCommand({
      modelId: "anthropic.claude-sonnet-4-6",
      input: {
        converse: { system: [{ text: POLICY }], messages: [{ role: "user", content: [{ text: "hi" }] }] },
      },
    }),
  );
  return out.inputTokens ?? -1;
}
