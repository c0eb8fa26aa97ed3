import { describe, expect, it } from "vitest";
import {
  fromAnthropicUsage,
  fromBedrockHeaders,
  fromConverseUsage,
  fromInvocationMetrics,
  normalizeUsage,
} from "./normalizeUsage.js";

describe("usage normalisers", () => {
  it("Converse usage with cacheDetails (1h and 5m writes), as Bedrock sent it for Haiku 4.5", () => {
    const u = fromConverseUsage({
      cacheDetails: [
        { inputTokens: 3000, ttl: "1h" },
        { inputTokens: 4502, ttl: "5m" },
      ],
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 7502,
      inputTokens: 18,
      outputTokens: 386,
      totalTokens: 7906,
    });
    expect(u).toEqual({
      inputTokens: 18,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 7502,
      cacheWriteByTtl: { "5m": 4502, "1h": 3000, "30m": 0 },
      outputTokens: 386,
    });
  });

  it("ConverseStream metadata with only the …TokenCount spellings", () => {
    const u = normalizeUsage({
      usage: {
        cacheReadInputTokenCount: 1490,
        cacheWriteInputTokenCount: 0,
        inputTokens: 4,
        outputTokens: 832,
        totalTokens: 2326,
      },
    });
    expect(u.cacheReadInputTokens).toBe(1490);
    expect(u.inputTokens).toBe(4);
  });

  it("Anthropic usage with the cache_creation split", () => {
    const u = fromAnthropicUsage({
      input_tokens: 9,
      cache_creation_input_tokens: 37209,
      cache_read_input_tokens: 0,
      output_tokens: 357,
      cache_creation: { ephemeral_5m_input_tokens: 37000, ephemeral_1h_input_tokens: 209 },
    });
    expect(u.cacheWriteByTtl).toEqual({ "5m": 37000, "1h": 209, "30m": 0 });
    expect(u.cacheWriteInputTokens).toBe(37209);
    expect(
      normalizeUsage({
        id: "msg_bdrk_1",
        usage: { input_tokens: 9, cache_creation_input_tokens: 37209, output_tokens: 1 },
      }).cacheWriteByTtl["5m"],
    ).toBe(37209);
  });

  it("stream invocation metrics and X-Amzn-Bedrock headers (any case)", () => {
    const m = fromInvocationMetrics({
      inputTokenCount: 12,
      outputTokenCount: 40,
      invocationLatency: 900,
      firstByteLatency: 300,
      cacheReadInputTokenCount: 5000,
      cacheWriteInputTokenCount: 0,
    });
    expect(m).toMatchObject({ inputTokens: 12, cacheReadInputTokens: 5000, outputTokens: 40 });
    expect(
      normalizeUsage({
        type: "message_stop",
        "amazon-bedrock-invocationMetrics": { inputTokenCount: 3, cacheWriteInputTokenCount: 2000 },
      }).cacheWriteByTtl["5m"],
    ).toBe(2000);
    const h = fromBedrockHeaders({
      "X-Amzn-Bedrock-Input-Token-Count": "14",
      "x-amzn-bedrock-output-token-count": "36",
      "X-AMZN-BEDROCK-CACHE-READ-INPUT-TOKEN-COUNT": ["4096"],
    });
    expect(h).toMatchObject({ inputTokens: 14, outputTokens: 36, cacheReadInputTokens: 4096 });
    const web = fromBedrockHeaders(
      new Map([["x-amzn-bedrock-cache-write-input-token-count", "77"]]) as unknown as {
        get(n: string): string | null;
      },
    );
    expect(web.cacheWriteInputTokens).toBe(77);
  });

  it("missing, null, negative or junk fields are 0, never NaN", () => {
    for (const junk of [
      undefined,
      null,
      {},
      {
        inputTokens: "abc",
        outputTokens: -5,
        cacheReadInputTokens: Number.NaN,
        cacheDetails: [null, 3, { ttl: "1h" }],
      },
    ]) {
      const u = normalizeUsage(junk);
      for (const v of [
        u.inputTokens,
        u.outputTokens,
        u.cacheReadInputTokens,
        u.cacheWriteInputTokens,
        ...Object.values(u.cacheWriteByTtl),
      ]) {
        expect(Number.isNaN(v)).toBe(false);
        expect(v).toBe(0);
      }
    }
  });
});
