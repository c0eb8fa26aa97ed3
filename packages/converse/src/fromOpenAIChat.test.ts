import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
} from "@aws-sdk/client-bedrock-runtime";
import { describe, expect, it } from "vitest";
import { converseLayout } from "./converseLayout.js";
import { fromOpenAIChat } from "./fromOpenAIChat.js";

describe("fromOpenAIChat", () => {
  it("converts the Portkey example of seed 002 with its checkpoint", () => {
    const { input, diagnostics } = fromOpenAIChat({
      model: "anthropic.claude-3-7-sonnet-20250219-v1:0",
      messages: [
        {
          role: "system",
          content: [
            { type: "text", text: "You are a helpful assistant" },
            {
              type: "text",
              text: "This is a large document I want to cache...",
              cache_control: { type: "ephemeral" },
            },
          ],
        },
        { role: "user", content: "Summarize the above document for me in 20 words" },
      ],
    });
    expect(diagnostics).toEqual([]);
    expect(input).toEqual({
      modelId: "anthropic.claude-3-7-sonnet-20250219-v1:0",
      system: [
        { text: "You are a helpful assistant" },
        { text: "This is a large document I want to cache..." },
        { cachePoint: { type: "default" } },
      ],
      messages: [{ role: "user", content: [{ text: "Summarize the above document for me in 20 words" }] }],
    });
    expect(converseLayout(input).layout.checkpoints).toHaveLength(1);
  });

  it("carries tools, tool calls and results, TTLs and inference settings; merges same-role turns", () => {
    const { input } = fromOpenAIChat({
      messages: [
        { role: "user", content: "find order 7" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "lookup", arguments: '{"id":7}' } }],
        },
        { role: "tool", tool_call_id: "c1", content: "shipped" },
        {
          role: "user",
          content: [{ type: "text", text: "thanks", cache_control: { type: "ephemeral", ttl: "1h" } }],
        },
      ],
      tools: [
        {
          type: "function",
          function: { name: "lookup", parameters: { type: "object" } },
          cache_control: { type: "ephemeral" },
        },
      ],
      max_tokens: 100,
      stop: "END",
    });
    expect(input.toolConfig?.tools).toEqual([
      { toolSpec: { name: "lookup", inputSchema: { json: { type: "object" } } } },
      { cachePoint: { type: "default" } },
    ]);
    expect(input.messages).toEqual([
      { role: "user", content: [{ text: "find order 7" }] },
      { role: "assistant", content: [{ toolUse: { toolUseId: "c1", name: "lookup", input: { id: 7 } } }] },
      {
        role: "user",
        content: [
          { toolResult: { toolUseId: "c1", content: [{ text: "shipped" }] } },
          { text: "thanks" },
          { cachePoint: { type: "default", ttl: "1h" } },
        ],
      },
    ]);
    expect(input.inferenceConfig).toEqual({ maxTokens: 100, stopSequences: ["END"] });
  });

  it("sends a data: URL image as bytes, so the SDK puts the original base64 on the wire", async () => {
    const png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
    const { input, diagnostics } = fromOpenAIChat({
      messages: [
        {
          role: "user",
          content: [{ type: "image_url", image_url: { url: `data:image/png;base64,${png}` } }],
        },
      ],
    });
    expect(diagnostics).toEqual([]);
    const message = input.messages[0] as {
      content: { image: { format: string; source: { bytes: Uint8Array } } }[];
    };
    const block = message.content[0]!;
    expect(block.image.format).toBe("png");
    expect(Buffer.from(block.image.source.bytes).toString("base64")).toBe(png);
    let wire = "";
    const client = new BedrockRuntimeClient({
      region: "us-east-1",
      credentials: { accessKeyId: "AKID", secretAccessKey: "secret" },
      maxAttempts: 1,
      requestHandler: {
        async handle(request: { body: string }) {
          wire = request.body;
          throw new Error("captured");
        },
      } as never,
    });
    await expect(
      client.send(
        new ConverseCommand({
          modelId: "us.anthropic.claude-sonnet-4-6",
          ...input,
        } as unknown as ConverseCommandInput),
      ),
    ).rejects.toThrow("captured");
    expect(JSON.parse(wire).messages[0].content[0].image.source.bytes).toBe(png);
    const bad = fromOpenAIChat({
      messages: [
        { role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png;base64,%%%" } }] },
      ],
    });
    expect(bad.diagnostics[0]).toMatchObject({
      code: "malformed-request",
      message: expect.stringMatching(/not valid base64/),
    });
  });

  it("says what it could not carry over", () => {
    const { diagnostics } = fromOpenAIChat({
      messages: [
        {
          role: "user",
          content: [{ type: "image_url", image_url: { url: "https://x/y.png" } }, { type: "input_audio" }],
        },
      ],
    });
    expect(diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/data: URL images/),
      expect.stringMatching(/input_audio/),
    ]);
    expect(() => fromOpenAIChat({} as never)).toThrowError(/messages array/);
  });
});
