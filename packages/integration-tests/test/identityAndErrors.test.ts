import { createHash } from "node:crypto";
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import {
  createMockClient,
  createMockRequestHandler,
  MockBedrock,
  type MockServer,
  mockCredentials,
  startMockServer,
} from "@cachepoint/mock-transport";
import { createMswHandlers } from "@cachepoint/mock-transport/msw";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODEL, POLICY } from "./requests.js";

const input = { modelId: MODEL, messages: [{ role: "user" as const, content: [{ text: "hi" }] }] };
const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number }; $fault?: string };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error("expected the call to fail");
};

describe("identity against the server (SigV4 verified)", () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer();
  });
  afterAll(async () => server.close(500));

  const client = (creds: { accessKeyId: string; secretAccessKey: string }) =>
    new BedrockRuntimeClient({
      region: "us-east-1",
      endpoint: server.url,
      credentials: creds,
      maxAttempts: 1,
    });

  it("a wrong secret is refused with 403 InvalidSignatureException", async () => {
    const e = await errorOf(
      client({ accessKeyId: "AKIDCACHEPOINTA", secretAccessKey: "wrong" }).send(new ConverseCommand(input)),
    );
    expect(e).toMatchObject({ name: "InvalidSignatureException", status: 403 });
    expect(e.message).toMatch(/signature we calculated does not match/);
  });

  it("an unknown access key is refused with 403 UnrecognizedClientException", async () => {
    const e = await errorOf(
      client({ accessKeyId: "AKIDNOBODY", secretAccessKey: "x" }).send(new ConverseCommand(input)),
    );
    expect(e).toMatchObject({ name: "UnrecognizedClientException", status: 403 });
  });

  /** Signs a Converse request by hand so the test can tamper with it after signing. */
  async function signed(overrides: { region?: string; service?: string; date?: Date; body?: string } = {}) {
    const body = JSON.stringify(input);
    const url = new URL(server.url);
    const req = new HttpRequest({
      method: "POST",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: `/model/${encodeURIComponent(MODEL)}/converse`,
      headers: {
        host: url.host,
        "content-type": "application/json",
        "x-amz-content-sha256": createHash("sha256").update(body).digest("hex"),
      },
      body,
    });
    const signer = new SignatureV4({
      credentials: mockCredentials(),
      region: overrides.region ?? "us-east-1",
      service: overrides.service ?? "bedrock",
      sha256: Hash.bind(null, "sha256"),
    });
    const s = await signer.sign(req, { signingDate: overrides.date ?? new Date() });
    const res = await fetch(`${server.url}${s.path}`, {
      method: "POST",
      headers: s.headers as Record<string, string>,
      body: overrides.body ?? body,
    });
    return {
      status: res.status,
      type: res.headers.get("x-amzn-errortype"),
      body: (await res.json()) as { message?: string },
    };
  }

  it("a correctly signed request passes; tampering after signing is refused", async () => {
    expect((await signed()).status).toBe(200);
    const changed = await signed({ body: JSON.stringify({ ...input, system: [{ text: "injected" }] }) });
    expect(changed).toMatchObject({ status: 403, type: "InvalidSignatureException" });
    const service = await signed({ service: "s3" });
    expect(service).toMatchObject({ status: 403, type: "InvalidSignatureException" });
    const old = await signed({ date: new Date(Date.now() - 20 * 60_000) });
    expect(old).toMatchObject({ status: 403, type: "InvalidSignatureException" });
    expect(old.body.message).toMatch(/Signature expired/);
  });

  it("the scope's Region selects the cache: another Region never hits", async () => {
    server.mock.reset();
    const sys = [{ text: POLICY }, { cachePoint: { type: "default" as const } }];
    const east = new BedrockRuntimeClient({
      region: "us-east-1",
      endpoint: server.url,
      credentials: mockCredentials(),
      maxAttempts: 1,
    });
    const west = new BedrockRuntimeClient({
      region: "us-west-2",
      endpoint: server.url,
      credentials: mockCredentials(),
      maxAttempts: 1,
    });
    await east.send(new ConverseCommand({ ...input, system: sys }));
    const w = await west.send(new ConverseCommand({ ...input, system: sys }));
    expect(w.usage?.cacheReadInputTokens).toBe(0);
    expect(server.mock.calls().map((c) => c.region)).toEqual(["us-east-1", "us-west-2"]);
    east.destroy();
    west.destroy();
  });

  it("bearer API keys map to their account; unknown ones are refused", async () => {
    const ok = await fetch(`${server.url}/model/${encodeURIComponent(MODEL)}/converse`, {
      method: "POST",
      headers: { authorization: "Bearer cachepoint-test-bearer-b", "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    expect(ok.status).toBe(200);
    expect(server.mock.calls().at(-1)?.accountId).toBe("222222222222");
    const bad = await fetch(`${server.url}/model/${encodeURIComponent(MODEL)}/converse`, {
      method: "POST",
      headers: { authorization: "Bearer nope", "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    expect(bad.status).toBe(403);
    expect(bad.headers.get("x-amzn-errortype")).toBe("UnrecognizedClientException");
  });

  it("admin routes drive the clock and show the cache without content", async () => {
    await fetch(`${server.url}/_cachepoint/reset`, { method: "POST" });
    const c = client(mockCredentials());
    await c.send(
      new ConverseCommand({ ...input, system: [{ text: POLICY }, { cachePoint: { type: "default" } }] }),
    );
    const cache = (await (await fetch(`${server.url}/_cachepoint/cache`)).json()) as {
      entries: Record<string, unknown>[];
    };
    expect(cache.entries).toHaveLength(1);
    expect(cache.entries[0]).toMatchObject({
      accountId: "111111111111",
      region: "us-east-1",
      modelId: "anthropic.claude-sonnet-4-6",
      ttl: "5m",
      readable: true,
    });
    expect(JSON.stringify(cache)).not.toContain("Refunds");
    const before = server.mock.clock.now();
    const adv = (await (
      await fetch(`${server.url}/_cachepoint/clock/advance`, {
        method: "POST",
        body: JSON.stringify({ ms: 360_000 }),
      })
    ).json()) as { now: number };
    expect(adv.now).toBe(before + 360_000);
    expect(
      ((await (await fetch(`${server.url}/_cachepoint/cache`)).json()) as { entries: unknown[] }).entries,
    ).toHaveLength(0);
    const calls = (await (await fetch(`${server.url}/_cachepoint/calls`)).json()) as { calls: unknown[] };
    expect(calls.calls).toHaveLength(1);
    expect(
      (await fetch(`${server.url}/_cachepoint/clock/advance`, { method: "POST", body: "{}" })).status,
    ).toBe(400);
    c.destroy();
  });

  it("an unknown route answers UnknownOperationException, an oversized body is refused", async () => {
    const r = await fetch(`${server.url}/model/x/explode`, { method: "POST" });
    expect(r.status).toBe(404);
    expect(r.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    expect(r.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("Bedrock's own caching errors, through the real SDK", () => {
  const mock = new MockBedrock();
  const client = createMockClient(mock);
  const sys = (cp: Record<string, unknown>) =>
    [{ text: POLICY }, { cachePoint: { type: "default", ...cp } }] as never;
  const cases: [string, ConverseCommand, RegExp][] = [
    [
      "1h TTL on Nova",
      new ConverseCommand({ ...input, modelId: "us.amazon.nova-pro-v1:0", system: sys({ ttl: "1h" }) }),
      /Extended TTL prompt caching is only supported for Anthropic models/,
    ],
    [
      "cachePoint in Nova tools",
      new ConverseCommand({
        ...input,
        modelId: "us.amazon.nova-pro-v1:0",
        toolConfig: {
          tools: [
            { toolSpec: { name: "t", inputSchema: { json: {} } } },
            { cachePoint: { type: "default" } },
          ],
        },
      }),
      /extraneous key \[cachePoint\] is not permitted/,
    ],
    [
      "1h after 5m",
      new ConverseCommand({
        ...input,
        system: [
          { text: POLICY },
          { cachePoint: { type: "default", ttl: "5m" } },
          { text: POLICY },
          { cachePoint: { type: "default", ttl: "1h" } },
        ],
      }),
      /a ttl='1h' cache_control block must not come after a ttl='5m'/,
    ],
    [
      "a fifth checkpoint",
      new ConverseCommand({
        ...input,
        system: Array.from({ length: 5 }, () => [
          { text: POLICY },
          { cachePoint: { type: "default" } },
        ]).flat() as never,
      }),
      /A maximum of 4 blocks with cache_control may be provided. Found 5/,
    ],
    [
      "nothing before the checkpoint",
      new ConverseCommand({ ...input, system: [{ cachePoint: { type: "default" } }, { text: POLICY }] }),
      /nothing available to cache/,
    ],
    [
      "after a reasoning block",
      new ConverseCommand({
        modelId: MODEL,
        system: [{ text: POLICY }],
        messages: [
          { role: "user", content: [{ text: "q" }] },
          {
            role: "assistant",
            content: [
              { reasoningContent: { reasoningText: { text: "thinking", signature: "s" } } },
              { cachePoint: { type: "default" } },
            ],
          },
          { role: "user", content: [{ text: "go on" }] },
        ],
      }),
      /Cache point cannot be inserted after reasoning block/,
    ],
    [
      "ttl on Claude 3.7 Sonnet",
      new ConverseCommand({
        ...input,
        modelId: "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
        system: sys({ ttl: "1h" }),
      }),
      /Extra inputs are not permitted/,
    ],
    [
      "cachePoint on Llama",
      new ConverseCommand({ ...input, modelId: "us.meta.llama3-3-70b-instruct-v1:0", system: sys({}) }),
      /You invoked an unsupported model or your request did not allow prompt caching/,
    ],
    [
      "an unknown model",
      new ConverseCommand({ ...input, modelId: "us.anthropic.claude-sonet-4-6" }),
      /The provided model identifier is invalid/,
    ],
  ];
  for (const [name, cmd, message] of cases) {
    it(`${name}: 400 ValidationException with Bedrock's message`, async () => {
      const e = await errorOf(client.send(cmd));
      expect(e.name).toBe("ValidationException");
      expect(e.status).toBe(400);
      expect(e.message).toMatch(message);
    });
  }

  it("below the minimum: accepted, nothing cached, both counters 0", async () => {
    const out = await client.send(
      new ConverseCommand({
        ...input,
        modelId: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
        system: [{ text: "short" }, { cachePoint: { type: "default" } }],
      }),
    );
    expect(out.usage?.cacheReadInputTokens).toBe(0);
    expect(out.usage?.cacheWriteInputTokens).toBe(0);
  });

  it("the legacy text-completion body of the seed is refused on Claude 3.7 Sonnet", async () => {
    const { InvokeModelCommand } = await import("@aws-sdk/client-bedrock-runtime");
    const e = await errorOf(
      client.send(
        new InvokeModelCommand({
          modelId: "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
          contentType: "application/json",
          body: JSON.stringify({
            prompt: "Human: Test for caching.\n\nAssistant:",
            cache_control: { type: "default" },
            max_tokens: 10,
          }),
        }),
      ),
    );
    expect(e.message).toMatch(/Please use the Messages API instead/);
  });
});

describe("faults", () => {
  it("throttling is retried by the SDK: 2 failures then success with maxAttempts 3", async () => {
    const mock = new MockBedrock();
    mock.failNext("ThrottlingException", { count: 2 });
    const client = createMockClient(mock, { maxAttempts: 3 });
    const out = await client.send(new ConverseCommand(input));
    expect(out.output?.message?.content?.[0]?.text).toBeTruthy();
    expect(mock.calls().map((c) => c.status)).toEqual([429, 429, 200]);
  });

  it("ModelNotReady is a 429 and 5xx surface as typed errors", async () => {
    const mock = new MockBedrock();
    const client = createMockClient(mock);
    mock.failNext("ModelNotReadyException");
    expect(await errorOf(client.send(new ConverseCommand(input)))).toMatchObject({
      name: "ModelNotReadyException",
      status: 429,
    });
    mock.failNext("ServiceUnavailableException");
    expect(await errorOf(client.send(new ConverseCommand(input)))).toMatchObject({
      name: "ServiceUnavailableException",
      status: 503,
    });
  });

  it("a mid-stream exception arrives as a typed error from the stream", async () => {
    const mock = new MockBedrock();
    const client = createMockClient(mock);
    mock.failNext("ThrottlingException", { midStream: true });
    const out = await client.send(new ConverseStreamCommand(input));
    const seen: string[] = [];
    const e = await errorOf(
      (async () => {
        for await (const ev of out.stream!) seen.push(Object.keys(ev)[0]!);
      })(),
    );
    expect(seen).toEqual(["messageStart"]);
    expect(e.name).toBe("ThrottlingException");
  });

  it("seeded random faults repeat run to run", async () => {
    const run = async () => {
      const mock = new MockBedrock({ seed: 42, faults: { throttling: 0.3, internalError: 0.1 } });
      const client = createMockClient(mock);
      for (let i = 0; i < 30; i++) await client.send(new ConverseCommand(input)).catch(() => {});
      return mock.calls().map((c) => c.status);
    };
    const a = await run();
    expect(a).toEqual(await run());
    expect(a.filter((s) => s === 429).length).toBeGreaterThan(3);
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(10);
  });

  it("scripted replies, including tool use, come back through the SDK", async () => {
    const mock = new MockBedrock();
    const client = createMockClient(mock);
    mock.enqueue({ toolUse: [{ name: "get_order", input: { id: 42 } }] }, { text: "Your order shipped." });
    const a = await client.send(new ConverseCommand(input));
    expect(a.stopReason).toBe("tool_use");
    expect(a.output?.message?.content?.[0]?.toolUse).toMatchObject({ name: "get_order", input: { id: 42 } });
    const b = await client.send(new ConverseCommand(input));
    expect(b.output?.message?.content?.[0]?.text).toBe("Your order shipped.");
  });
});

describe("bounded state", () => {
  it("the call log keeps only the newest maxCalls calls", async () => {
    const mock = new MockBedrock({ maxCalls: 3 });
    const client = createMockClient(mock);
    for (let i = 0; i < 5; i++) await client.send(new ConverseCommand(input));
    expect(mock.calls()).toHaveLength(3);
  });
});

describe("the mock's options", () => {
  it("a misspelt or mistyped option fails when the mock is made, naming the option, instead of changing nothing", () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ maxEntry: 10 }, /Unknown option "maxEntry". Known options: .*maxEntries/],
      [{ latency: "fast" }, /latency must be an object; got "fast"/],
      [{ latency: { base: 5 } }, /Unknown latency option "base". Known: baseMs/],
      [{ faults: { throttling: 5 } }, /faults.throttling must be a probability from 0 to 1; got 5/],
      [{ seed: "abc" }, /seed must be a whole number/],
      [{ accounts: [] }, /accounts must be a non-empty array/],
      [
        {
          models: {
            aliases: { "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/x": "nope" },
          },
        },
        /Alias .* → "nope": Unknown model/,
      ],
    ];
    for (const [options, message] of bad) {
      expect(() => new MockBedrock(options as never), JSON.stringify(options)).toThrowError(message);
    }
  });

  it("a front end given no mock says how to make one, instead of failing on the first request", () => {
    expect(() => createMockClient(undefined as never)).toThrowError(
      /createMockClient\(…\) needs the MockBedrock to serve from; got undefined. Make one first: const mock = new MockBedrock\(\); createMockClient\(mock\)/,
    );
    expect(() => createMockRequestHandler(null as never)).toThrowError(/got null/);
    expect(() => createMswHandlers({} as never)).toThrowError(/createMswHandlers\(mock\)/);
  });

  it("the server keeps its own options (port, host, limits) and hands the rest to the mock", async () => {
    await expect(startMockServer({ port: 0, maxEntry: 1 } as never)).rejects.toThrowError(
      /Unknown option "maxEntry"/,
    );
    const server = await startMockServer({
      port: 0,
      host: "127.0.0.1",
      maxBodyBytes: 1_000_000,
      maxCalls: 2,
    });
    try {
      const client = createMockClient(server.mock);
      for (let i = 0; i < 3; i++) await client.send(new ConverseCommand(input));
      expect(server.mock.calls()).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});
