import { ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { createMockClient, MockBedrock } from "@cachepoint/mock-transport";

const mock = new MockBedrock(); // a manual clock: nothing sleeps, time moves when you say so
const client = createMockClient(mock); // a real BedrockRuntimeClient; only the network is replaced

const request = {
  modelId: "us.anthropic.claude-sonnet-4-6",
  system: [
    { text: "You answer questions about our refund policy. ".repeat(200) },
    { cachePoint: { type: "default" as const } },
  ],
  messages: [{ role: "user" as const, content: [{ text: "Can I return a gift?" }] }],
};

const first = await client.send(new ConverseCommand(request)); // writes the system prompt
const second = await client.send(new ConverseCommand(request)); // reads it
mock.advance(6 * 60_000); // past the 5-minute TTL
const third = await client.send(new ConverseCommand(request)); // writes again

export const usage = [first.usage, second.usage, third.usage].map((u) => ({
  read: u?.cacheReadInputTokens,
  written: u?.cacheWriteInputTokens,
}));
