import { cachepoint } from "@cachepoint/invoke-model";
import { createMockClient, MockBedrock } from "@cachepoint/mock-transport";
import { ChatBedrockConverse } from "@langchain/aws";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";

/** LangChain's cache counters (read through a narrow type: its declared type resolves oddly under our strict config). */
const cache = (m: { usage_metadata?: unknown }) =>
  (m.usage_metadata as { input_token_details?: { cache_read?: number; cache_creation?: number } } | undefined)
    ?.input_token_details ?? {};

// A framework nobody here wrote: LangChain builds its own Converse requests (no cachePoint of its own);
// the plugin on the client it is given places the checkpoints, and LangChain reports the cache counters.
describe("@langchain/aws ChatBedrockConverse over a client with the plugin and the mock", () => {
  it("the second call reads the system prompt from the cache, as LangChain's usage_metadata shows", async () => {
    const mock = new MockBedrock();
    const client = createMockClient(mock);
    client.middlewareStack.use(cachepoint());
    const model = new ChatBedrockConverse({
      model: "us.anthropic.claude-sonnet-4-6",
      region: "us-east-1",
      client,
    });
    const system = new SystemMessage(
      "You are the support agent for Example Corp. Follow the policy exactly. ".repeat(150),
    );
    const first = await model.invoke([system, new HumanMessage("Can I return a gift?")]);
    const second = await model.invoke([system, new HumanMessage("What about a damaged item?")]);
    expect(cache(first).cache_creation).toBeGreaterThan(1024);
    expect(cache(first).cache_read ?? 0).toBe(0);
    // The first call also wrote its question; the second (another question) reads the system prompt.
    const read = cache(second).cache_read ?? 0;
    expect(read).toBeGreaterThan(1024);
    expect(read).toBeLessThan(cache(first).cache_creation!);
    expect(mock.calls()[1]!.usage!.cacheReadInputTokens).toBe(read);
    expect(typeof second.content).toBe("string");
    expect(mock.calls()).toHaveLength(2);
  });

  it("streaming through LangChain reports the cache read too", async () => {
    const mock = new MockBedrock();
    const client = createMockClient(mock);
    client.middlewareStack.use(cachepoint());
    const model = new ChatBedrockConverse({
      model: "us.anthropic.claude-sonnet-4-6",
      region: "us-east-1",
      client,
      streaming: true,
    });
    const system = new SystemMessage("Shared instructions for every request. ".repeat(200));
    await model.invoke([system, new HumanMessage("one")]);
    let cacheRead: number | undefined;
    for await (const chunk of await model.stream([system, new HumanMessage("two")])) {
      cacheRead = cache(chunk).cache_read ?? cacheRead;
    }
    expect(cacheRead).toBeGreaterThan(1024);
  });
});
