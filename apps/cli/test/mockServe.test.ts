import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { describe, expect, it } from "vitest";
import { startMockServe } from "./helpers.js";

describe("cachepoint mock serve", () => {
  it("prints the endpoint, serves the default HTTP/2 SDK client, and stops cleanly on SIGTERM", async () => {
    const serve = await startMockServe();
    const url = serve.url;
    const stdout = serve.banner();
    expect(stdout).toMatch(/AWS_ACCESS_KEY_ID=AKIDCACHEPOINTA/);
    const client = new BedrockRuntimeClient({
      region: "us-east-1",
      endpoint: url,
      credentials: { accessKeyId: "AKIDCACHEPOINTA", secretAccessKey: "cachepoint-test-secret-a" },
      maxAttempts: 1,
    });
    const input = {
      modelId: "us.anthropic.claude-sonnet-4-6",
      system: [{ text: "Shared policy. ".repeat(800) }, { cachePoint: { type: "default" as const } }],
      messages: [{ role: "user" as const, content: [{ text: "hi" }] }],
    };
    const a = await client.send(new ConverseCommand(input));
    const b = await client.send(new ConverseCommand(input));
    client.destroy();
    expect(a.usage?.cacheWriteInputTokens).toBeGreaterThan(1024);
    expect(b.usage?.cacheReadInputTokens).toBe(a.usage?.cacheWriteInputTokens);
    const code = await serve.stop();
    expect(code).toBe(0);
  });

  it("a port in use is a usage error that suggests --port 0", async () => {
    const net = await import("node:net");
    const blocker = net.createServer().listen(0, "127.0.0.1");
    await new Promise((r) => blocker.once("listening", r));
    const port = (blocker.address() as { port: number }).port;
    const { cli } = await import("./helpers.js");
    const r = await cli(["mock", "serve", "--port", String(port)]);
    blocker.close();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already in use \(try --port 0\)/);
  });
});
