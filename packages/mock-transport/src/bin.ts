#!/usr/bin/env node
// cachepoint-mock: the standalone mock Bedrock Runtime. `cachepoint mock serve` runs the same thing.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseAccounts } from "./accounts.js";
import { startMockServer } from "./startMockServer.js";

const usage = `Usage: cachepoint-mock [--port 4010] [--host 127.0.0.1] [--accounts accounts.json] [--seed 1] [--no-verify]

Serves a mock Amazon Bedrock Runtime (HTTP/1.1 and h2c on one port) that really caches.
  --port       port to listen on (default 4010; 0 picks a free one)
  --host       interface to bind (default 127.0.0.1)
  --accounts   JSON file {"accounts": [{"accountId", "accessKeyId", "secretAccessKey", "bearerTokens"}]}
  --seed       seed for fault injection and request IDs (default 1)
  --no-verify  accept any signature from a known access key
Example: aws bedrock-runtime converse --endpoint-url http://127.0.0.1:4010 --model-id us.anthropic.claude-sonnet-4-6 ...`;

let args: ReturnType<typeof parseArgs<{ options: Record<string, { type: "string" | "boolean" }> }>>;
try {
  args = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      accounts: { type: "string" },
      seed: { type: "string" },
      "no-verify": { type: "boolean" },
      help: { type: "boolean" },
    },
  });
} catch (e) {
  console.error(`${(e as Error).message}\n\n${usage}`);
  process.exit(2);
}
const v = args.values as Record<string, string | boolean | undefined>;
if (v.help) {
  console.log(usage);
  process.exit(0);
}
const port = Number(v.port ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number (0–65535), got ${String(v.port)}`);
  process.exit(2);
}
const seed = Number(v.seed ?? 1);
if (!Number.isInteger(seed)) {
  console.error(`--seed must be a whole number, got ${String(v.seed)}`);
  process.exit(2);
}
let accounts: ReturnType<typeof parseAccounts> | undefined;
if (typeof v.accounts === "string") {
  try {
    accounts = parseAccounts(JSON.parse(readFileSync(v.accounts, "utf8")));
  } catch (e) {
    console.error(`--accounts ${v.accounts}: ${(e as Error).message}`);
    process.exit(2);
  }
}
const server = await startMockServer({
  port,
  host: typeof v.host === "string" ? v.host : "127.0.0.1",
  seed,
  verifySignatures: !v["no-verify"],
  ...(accounts && { accounts }),
});
console.log(`cachepoint mock Bedrock Runtime listening on ${server.url}`);
console.log(`  use --endpoint-url ${server.url} (AWS CLI, boto3) or endpoint: "${server.url}" (JS SDK)`);
for (const a of server.mock.accounts) console.log(`  account ${a.accountId}: access key ${a.accessKeyId}`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
