import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { MockBedrock, mockCredentials } from "@cachepoint/mock-transport";
import { createMswHandlers } from "@cachepoint/mock-transport/msw";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { setupServer } from "msw/node";

const mock = new MockBedrock({ verifySignatures: true });
const server = setupServer(...createMswHandlers(mock));
server.listen({ onUnhandledRequest: "error" });

// msw does not see the SDK's default HTTP/2 handler: use NodeHttpHandler (or FetchHttpHandler).
const client = new BedrockRuntimeClient({
  region: "eu-west-1",
  credentials: mockCredentials(),
  requestHandler: new NodeHttpHandler(),
});
const out = await client.send(
  new ConverseCommand({
    modelId: "eu.anthropic.claude-sonnet-4-6",
    system: [{ text: "Shared instructions. ".repeat(400) }, { cachePoint: { type: "default" } }],
    messages: [{ role: "user", content: [{ text: "hello" }] }],
  }),
);
server.close();

export const written = out.usage?.cacheWriteInputTokens;
export const region = mock.calls()[0]?.region;
