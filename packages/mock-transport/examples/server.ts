import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { mockCredentials, startMockServer } from "@cachepoint/mock-transport";

// HTTP/1.1 and h2c on one port, SigV4 verified: the SDK's default HTTP/2 client, boto3 and the AWS CLI
// all work with --endpoint-url. Also a bin: `npx cachepoint-mock --port 4010`.
const server = await startMockServer({ port: 0 });
const client = new BedrockRuntimeClient({
  region: "us-east-1",
  endpoint: server.url,
  credentials: mockCredentials(),
});
const request = new ConverseCommand({
  modelId: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
  system: [{ text: "Catalogue. ".repeat(3000) }, { cachePoint: { type: "default", ttl: "1h" } }],
  messages: [{ role: "user", content: [{ text: "What is in stock?" }] }],
});
await client.send(request);
// Tests in any language drive the clock over HTTP:
await fetch(`${server.url}/_cachepoint/clock/advance`, {
  method: "POST",
  body: JSON.stringify({ ms: 30 * 60_000 }),
});
const later = await client.send(request); // the 1h entry is still there
const cache = (await (await fetch(`${server.url}/_cachepoint/cache`)).json()) as {
  entries: { ttl: string }[];
};
client.destroy();
await server.close();

export const readAfter30Minutes = later.usage?.cacheReadInputTokens;
export const entries = cache.entries;
