import type { ConverseCommandInput } from "@aws-sdk/client-bedrock-runtime";

/** The same 100-step agent as {@link agentRequest}, as an Anthropic Messages body for InvokeModel, as JSON text. */
export function anthropicAgentBody(): string {
  const messages: unknown[] = [{ role: "user", content: `Task: fix the failing build. ${text(3, 400)}` }];
  for (let s = 0; s < 50; s++) {
    messages.push({
      role: "assistant",
      content: [
        { type: "tool_use", id: `t${s}`, name: "run", input: { cmd: `make step${s}`, args: ["-j", "4"] } },
      ],
    });
    messages.push({
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: `t${s}`, content: [{ type: "text", text: text(100 + s, 250) }] },
      ],
    });
  }
  return JSON.stringify({
    anthropic_version: "bedrock-2023-05-31",
    max_tokens: 1024,
    system: text(2, 2000),
    tools: [{ name: "run", description: "Run a shell command", input_schema: { type: "object" } }],
    messages,
  });
}

/** A Converse request after 100 agent steps: a tool call and a ~1,000-character result per step. */
export function agentRequest(): ConverseCommandInput {
  const messages: NonNullable<ConverseCommandInput["messages"]> = [
    { role: "user", content: [{ text: `Task: fix the failing build. ${text(3, 400)}` }] },
  ];
  for (let s = 0; s < 50; s++) {
    messages.push({
      role: "assistant",
      content: [
        { toolUse: { toolUseId: `t${s}`, name: "run", input: { cmd: `make step${s}`, args: ["-j", "4"] } } },
      ],
    });
    messages.push({
      role: "user",
      content: [{ toolResult: { toolUseId: `t${s}`, content: [{ text: text(100 + s, 250) }] } }],
    });
  }
  return {
    modelId: "us.anthropic.claude-sonnet-4-6",
    system: [{ text: text(2, 2000) }],
    toolConfig: {
      tools: [
        {
          toolSpec: {
            name: "run",
            description: "Run a shell command",
            inputSchema: { json: { type: "object" } },
          },
        },
      ],
    },
    messages,
  };
}

/** A deterministic pseudo-random text of about `tokens` tokens (4 characters per word-token). */
export function text(seed: number, tokens: number): string {
  const words = [
    "cache",
    "prefix",
    "bedrock",
    "token",
    "model",
    "request",
    "policy",
    "order",
    "refund",
    "agent",
  ];
  let s = seed;
  const out: string[] = [];
  for (let i = 0; i < tokens; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out.push(words[s % words.length]!);
  }
  return out.join(" ");
}
