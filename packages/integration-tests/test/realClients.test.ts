import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { defaultAccounts, type MockServer, startMockServer } from "@cachepoint/mock-transport";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POLICY } from "./requests.js";

const run = promisify(execFile);
const has = (cmd: string, args: string[]) => {
  try {
    execFileSync(cmd, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
const hasBoto3 = has("python3", ["-c", "import boto3"]);
const hasAwsCli = has("aws", ["--version"]);
if (!hasBoto3)
  console.warn("realClients.test: python3 with boto3 is not installed here; the boto3 tests are skipped.");
if (!hasAwsCli)
  console.warn("realClients.test: the AWS CLI is not installed here; the AWS CLI tests are skipped.");

const account = defaultAccounts[0]!;
// Only the test account's keys: no profile, session token or bearer token from the machine leaks in.
const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")),
);
Object.assign(env, {
  AWS_ACCESS_KEY_ID: account.accessKeyId,
  AWS_SECRET_ACCESS_KEY: account.secretAccessKey,
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
});
const system = [{ text: POLICY }, { cachePoint: { type: "default" } }];
const messages = [{ role: "user", content: [{ text: "Can I return a gift?" }] }];

describe("real clients against the server", () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer();
  });
  afterAll(async () => server.close(500));

  it.skipIf(!hasBoto3)(
    "boto3: converse writes then reads; converse_stream and invoke_model report the cache too",
    async () => {
      const script = `
import boto3, json, sys
c = boto3.client("bedrock-runtime", endpoint_url=sys.argv[1], region_name="us-east-1")
system = json.loads(sys.argv[2]); messages = json.loads(sys.argv[3])
out = []
for _ in range(2):
    r = c.converse(modelId="us.anthropic.claude-sonnet-4-6", system=system, messages=messages)
    out.append(r["usage"])
s = c.converse_stream(modelId="us.anthropic.claude-sonnet-4-6", system=system, messages=messages)
for ev in s["stream"]:
    if "metadata" in ev: out.append(ev["metadata"]["usage"])
body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 64, "system": [{"type": "text", "text": system[0]["text"], "cache_control": {"type": "ephemeral"}}], "messages": [{"role": "user", "content": "hi"}]}
r = c.invoke_model(modelId="us.anthropic.claude-sonnet-4-6", body=json.dumps(body))
out.append(json.loads(r["body"].read())["usage"])
out.append({"header": r["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-bedrock-cache-read-input-token-count")})
print(json.dumps(out))
`;
      const { stdout } = await run(
        "python3",
        ["-c", script, server.url, JSON.stringify(system), JSON.stringify(messages)],
        { env },
      );
      const [first, second, stream, invoke, header] = JSON.parse(stdout);
      expect(first.cacheWriteInputTokens).toBeGreaterThan(1024);
      expect(first.cacheDetails).toEqual([{ ttl: "5m", inputTokens: first.cacheWriteInputTokens }]);
      expect(second.cacheReadInputTokens).toBe(first.cacheWriteInputTokens);
      expect(stream.cacheReadInputTokens).toBe(first.cacheWriteInputTokens);
      expect(invoke.cache_read_input_tokens).toBe(first.cacheWriteInputTokens);
      expect(Number(header.header)).toBe(first.cacheWriteInputTokens);
    },
  );

  it.skipIf(!hasBoto3)("boto3: a wrong secret gets InvalidSignatureException", async () => {
    const script = `
import boto3, sys
from botocore.exceptions import ClientError
c = boto3.client("bedrock-runtime", endpoint_url=sys.argv[1], region_name="us-east-1", aws_secret_access_key="wrong", aws_access_key_id="${account.accessKeyId}")
try:
    c.converse(modelId="us.anthropic.claude-sonnet-4-6", messages=[{"role": "user", "content": [{"text": "hi"}]}])
except ClientError as e:
    print(e.response["Error"]["Code"])
`;
    const { stdout } = await run("python3", ["-c", script, server.url], { env });
    expect(stdout.trim()).toBe("InvalidSignatureException");
  });

  it.skipIf(!hasAwsCli)(
    "AWS CLI: `aws bedrock-runtime converse --endpoint-url` shows a write, then a read",
    async () => {
      server.mock.reset();
      const args = [
        "bedrock-runtime",
        "converse",
        "--endpoint-url",
        server.url,
        "--model-id",
        "us.anthropic.claude-sonnet-4-6",
        "--system",
        JSON.stringify(system),
        "--messages",
        JSON.stringify(messages),
        "--output",
        "json",
      ];
      const a = JSON.parse((await run("aws", args, { env })).stdout);
      const b = JSON.parse((await run("aws", args, { env })).stdout);
      expect(a.usage.cacheWriteInputTokens).toBeGreaterThan(1024);
      expect(b.usage.cacheReadInputTokens).toBe(a.usage.cacheWriteInputTokens);
      expect(b.usage.cacheWriteInputTokens).toBe(0);
    },
  );
});
