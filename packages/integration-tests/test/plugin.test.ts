import {
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  type Message,
} from "@aws-sdk/client-bedrock-runtime";
import { type CachepointReport, getCachepointReport } from "@cachepoint/converse";
import { cachepoint } from "@cachepoint/invoke-model";
import { createMockClient, MockBedrock } from "@cachepoint/mock-transport";
import { describe, expect, it } from "vitest";

type PluginOptions = NonNullable<Parameters<typeof cachepoint>[0]>;

/** A mock, a client with the plugin, and its reports; options may read the mock (its clock, for the advisor). */
function setup(options: PluginOptions | ((mock: MockBedrock) => PluginOptions) = {}) {
  const mock = new MockBedrock();
  const client = createMockClient(mock);
  const reports: CachepointReport[] = [];
  const own = typeof options === "function" ? options(mock) : options;
  client.middlewareStack.use(cachepoint({ ...own, onReport: (r) => reports.push(r) }));
  return { mock, client, reports };
}
/** The advisor learning on the mock's clock, as a simulation runs it. */
const advisedOnMockTime = (mock: MockBedrock): PluginOptions => ({
  advisor: true,
  now: () => mock.clock.now(),
});
const SYSTEM = "You are the support agent for Example Corp. Follow the policy exactly. ".repeat(150);

describe("the cachepoint plugin on a real BedrockRuntimeClient", () => {
  it("multi-turn chat: each turn reads the previous turn's prefix, and the caller's input is never touched", async () => {
    const { client, reports } = setup();
    const messages: Message[] = [];
    for (let turn = 0; turn < 5; turn++) {
      messages.push({ role: "user", content: [{ text: `Question ${turn}: ${"details ".repeat(80)}` }] });
      const input: ConverseCommandInput = {
        modelId: "us.anthropic.claude-sonnet-4-6",
        system: [{ text: SYSTEM }],
        messages: structuredClone(messages),
      };
      const snapshot = structuredClone(input);
      const out = await client.send(new ConverseCommand(input));
      expect(input).toEqual(snapshot);
      messages.push(out.output!.message!);
    }
    expect(reports).toHaveLength(5);
    expect(reports[0]!.usage!.cacheReadInputTokens).toBe(0);
    for (let t = 1; t < 5; t++) {
      // Turn t reads everything up to the end of turn t-1's request.
      expect(reports[t]!.usage!.cacheReadInputTokens).toBe(reports[t - 1]!.plan!.cachedTokens);
      expect(reports[t]!.cost!.savedUsd).toBeGreaterThan(0);
    }
  });

  it("an agent loop of 30 tool calls never sends more than four checkpoints", async () => {
    const { client, reports, mock } = setup({ strategy: "conversation" });
    const messages: Message[] = [{ role: "user", content: [{ text: "Find order 42 and refund it." }] }];
    const tools = {
      tools: [
        {
          toolSpec: {
            name: "lookup",
            description: "Looks things up. ".repeat(200),
            inputSchema: { json: { type: "object" } },
          },
        },
      ],
    };
    for (let step = 0; step < 30; step++) {
      mock.enqueue({ toolUse: [{ name: "lookup", input: { step } }] });
      const out = await client.send(
        new ConverseCommand({
          modelId: "us.anthropic.claude-sonnet-4-6",
          system: [{ text: SYSTEM }],
          toolConfig: tools,
          messages,
        }),
      );
      const use = out.output!.message!.content![0]!.toolUse!;
      messages.push(out.output!.message!);
      messages.push({
        role: "user",
        content: [
          {
            toolResult: {
              toolUseId: use.toolUseId!,
              content: [{ text: `result ${step} ${"row ".repeat(60)}` }],
            },
          },
        ],
      });
    }
    for (const r of reports) expect(r.plan!.checkpoints.length).toBeLessThanOrEqual(4);
    // Every request after the first reads most of its prompt.
    const later = reports.slice(1);
    for (const r of later)
      expect(
        r.usage!.cacheReadInputTokens /
          (r.usage!.cacheReadInputTokens + r.usage!.cacheWriteInputTokens + r.usage!.inputTokens),
      ).toBeGreaterThan(0.8);
  });

  it("RAG: the document is written once and read by every later question", async () => {
    const { client, reports } = setup();
    const doc = {
      document: {
        format: "pdf" as const,
        name: "handbook",
        source: { text: "Handbook section. ".repeat(4000) },
      },
    };
    for (const q of ["What is the leave policy?", "How do I expense travel?", "Who approves overtime?"]) {
      await client.send(
        new ConverseCommand({
          modelId: "us.anthropic.claude-sonnet-4-6",
          messages: [{ role: "user", content: [doc, { text: q }] }],
        }),
      );
    }
    const written = reports[0]!.usage!.cacheWriteInputTokens;
    expect(written).toBeGreaterThan(10_000);
    expect(reports[1]!.usage!.cacheReadInputTokens).toBeGreaterThanOrEqual(written - 50);
    expect(reports[2]!.usage!.cacheReadInputTokens).toBeGreaterThanOrEqual(written - 50);
  });

  it("Nova with tools: no checkpoint in the tools, and Bedrock accepts the request", async () => {
    const { client, reports, mock } = setup();
    const out = await client.send(
      new ConverseCommand({
        modelId: "us.amazon.nova-pro-v1:0",
        system: [{ text: SYSTEM }],
        toolConfig: {
          tools: [
            { toolSpec: { name: "t", inputSchema: { json: {} } } },
            { cachePoint: { type: "default" } },
          ],
        },
        messages: [{ role: "user", content: [{ text: "hello" }] }],
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(reports[0]!.plan!.checkpoints.every((c) => c.section !== "tools")).toBe(true);
    expect(reports[0]!.plan!.changes).toContainEqual(
      expect.objectContaining({ action: "removed", path: "toolConfig/tools/1" }),
    );
    expect(mock.calls()[0]!.usage!.cacheWriteInputTokens).toBeGreaterThan(1024);
  });

  it("Haiku 4.5 below its 4,096-token minimum: no checkpoint, a diagnostic", async () => {
    const { client, reports } = setup();
    const out = await client.send(
      new ConverseCommand({
        modelId: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
        system: [{ text: "Be brief. ".repeat(300) }],
        messages: [{ role: "user", content: [{ text: "hi" }] }],
      }),
    );
    const r = getCachepointReport(out)!;
    expect(r).toBe(reports[0]);
    expect(r.plan!.checkpoints).toHaveLength(0);
    expect(r.diagnostics.find((d) => d.code === "below-min-tokens")?.message).toMatch(/4,096/);
  });

  it("streams: usage is reported when the caller has read the stream, and every event reaches the caller", async () => {
    const { client, reports } = setup();
    const input = {
      modelId: "us.anthropic.claude-sonnet-4-6",
      system: [{ text: SYSTEM }],
      messages: [{ role: "user" as const, content: [{ text: "hello" }] }],
    };
    await client.send(new ConverseCommand(input));
    const out = await client.send(new ConverseStreamCommand(input));
    expect(reports).toHaveLength(1); // not yet: the stream has not been read
    const kinds: string[] = [];
    for await (const ev of out.stream!) kinds.push(Object.keys(ev)[0]!);
    expect(kinds[0]).toBe("messageStart");
    expect(kinds.slice(-2)).toEqual(["messageStop", "metadata"]);
    expect(reports[1]!.usage!.cacheReadInputTokens).toBeGreaterThan(1024);
  });

  it("InvokeModel with an Anthropic body: a string system prompt becomes a cached block; streams report too", async () => {
    const { client, reports } = setup();
    const body = {
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 100,
      system: SYSTEM,
      messages: [{ role: "user", content: "hi" }],
    };
    await client.send(
      new InvokeModelCommand({
        modelId: "us.anthropic.claude-sonnet-4-6",
        contentType: "application/json",
        body: JSON.stringify(body),
      }),
    );
    const s = await client.send(
      new InvokeModelWithResponseStreamCommand({
        modelId: "us.anthropic.claude-sonnet-4-6",
        contentType: "application/json",
        body: JSON.stringify(body),
      }),
    );
    let chunks = 0;
    for await (const ev of s.body!) if (ev.chunk) chunks++;
    expect(chunks).toBeGreaterThan(3);
    expect(reports[0]!.usage!.cacheWriteInputTokens).toBeGreaterThan(1024);
    expect(reports[1]!.usage!.cacheReadInputTokens).toBe(reports[0]!.usage!.cacheWriteInputTokens);
  });

  it("with the SDK's cacheMiddleware (one handler chain for every call), each call still gets its own plan and report", async () => {
    const mock = new MockBedrock();
    const client = createMockClient(mock, { config: { cacheMiddleware: true } });
    const reports: CachepointReport[] = [];
    client.middlewareStack.use(cachepoint({ onReport: (r) => reports.push(r) }));
    let chains = 0; // handler chains the SDK built: one per command class when it caches them
    client.middlewareStack.add(
      (next) => {
        chains++;
        return next;
      },
      { step: "initialize", name: "countChains" },
    );
    const converse = (question: string) =>
      client.send(
        new ConverseCommand({
          modelId: "us.anthropic.claude-sonnet-4-6",
          system: [{ text: SYSTEM }],
          messages: [{ role: "user", content: [{ text: question }] }],
        }),
      );
    const invoke = (question: string) =>
      client.send(
        new InvokeModelCommand({
          modelId: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
          body: JSON.stringify({
            anthropic_version: "bedrock-2023-05-31",
            max_tokens: 50,
            system: SYSTEM,
            messages: [{ role: "user", content: question }],
          }),
        }),
      );
    const first = await converse("one");
    const second = await invoke("two"); // Haiku 4.5: the same prompt is below its 4,096-token minimum
    const third = await converse("three");
    expect(chains).toBe(2);
    expect(reports.map((r) => [r.command, r.modelId])).toEqual([
      ["ConverseCommand", "us.anthropic.claude-sonnet-4-6"],
      ["InvokeModelCommand", "us.anthropic.claude-haiku-4-5-20251001-v1:0"],
      ["ConverseCommand", "us.anthropic.claude-sonnet-4-6"],
    ]);
    expect([first, second, third].map((o) => getCachepointReport(o))).toEqual(reports);
    expect(reports[0]!.plan!.checkpoints.length).toBeGreaterThan(0);
    expect(reports[1]!.plan!.checkpoints).toHaveLength(0);
    expect(reports[1]!.diagnostics.map((d) => d.code)).toContain("below-min-tokens");
    expect(reports[0]!.usage!.cacheWriteInputTokens).toBeGreaterThan(1024);
    // The third call reads what the first wrote at its system checkpoint (its question differs).
    expect(reports[2]!.usage!.cacheReadInputTokens).toBe(reports[0]!.plan!.checkpoints[0]!.prefixTokens);
    expect(mock.calls().map((c) => c.usage?.cacheReadInputTokens)).toEqual(
      reports.map((r) => r.usage!.cacheReadInputTokens),
    );
  });

  it("InvokeModel bodies as an ArrayBuffer or a DataView are planned and cached like strings; the caller's buffer is untouched", async () => {
    const { client, reports } = setup();
    const text = JSON.stringify({
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 100,
      system: SYSTEM,
      messages: [{ role: "user", content: "hi" }],
    });
    const buffer = new TextEncoder().encode(text).buffer;
    const send = (body: ArrayBuffer | DataView) =>
      client.send(new InvokeModelCommand({ modelId: "us.anthropic.claude-sonnet-4-6", body }));
    await send(buffer);
    await send(new DataView(buffer));
    expect(new TextDecoder().decode(buffer)).toBe(text);
    expect(reports[0]!.plan!.checkpoints.length).toBeGreaterThan(0);
    expect(reports[0]!.usage!.cacheWriteInputTokens).toBeGreaterThan(1024);
    expect(reports[1]!.usage!.cacheReadInputTokens).toBe(reports[0]!.usage!.cacheWriteInputTokens);
  });

  it("InvokeModel with a Nova body gets Nova's cachePoint keys", async () => {
    const { client, reports } = setup();
    const body = {
      schemaVersion: "messages-v1",
      system: [{ text: SYSTEM }],
      messages: [{ role: "user", content: [{ text: "hi" }] }],
      inferenceConfig: { maxTokens: 50 },
    };
    await client.send(
      new InvokeModelCommand({ modelId: "us.amazon.nova-lite-v1:0", body: JSON.stringify(body) }),
    );
    await client.send(
      new InvokeModelCommand({ modelId: "us.amazon.nova-lite-v1:0", body: JSON.stringify(body) }),
    );
    expect(reports[1]!.usage!.cacheReadInputTokens).toBeGreaterThan(1536);
  });

  it("the seed's legacy text-completion body: diagnostic, passed through untouched, Bedrock's error surfaces", async () => {
    const { client } = setup();
    const body = JSON.stringify({
      prompt: "Human: Test for caching.\n\nAssistant:",
      cache_control: { type: "default" },
      max_tokens: 10,
    });
    const err = await client
      .send(new InvokeModelCommand({ modelId: "us.anthropic.claude-3-7-sonnet-20250219-v1:0", body }))
      .catch((e) => e as Error);
    expect((err as Error).message).toMatch(/Messages API/);
  });

  it("strict mode refuses before sending; unknown models and other commands pass through", async () => {
    const { client, mock } = setup({ strict: true, strategy: "manual" });
    const bad = client.send(
      new ConverseCommand({
        modelId: "us.amazon.nova-pro-v1:0",
        system: [{ text: "x" }, { cachePoint: { type: "default", ttl: "1h" } }],
        messages: [{ role: "user", content: [{ text: "q" }] }],
      }),
    );
    await expect(bad).rejects.toMatchObject({ name: "CachepointError", reason: "strict-mode" });
    expect(mock.calls()).toHaveLength(0);
  });

  it("exact counts: CountTokens is called once per distinct request and the plan's total matches it", async () => {
    const mock = new MockBedrock();
    const client = createMockClient(mock);
    const reports: CachepointReport[] = [];
    client.middlewareStack.use(cachepoint({ countTokens: client, onReport: (r) => reports.push(r) }));
    const input = {
      modelId: "us.anthropic.claude-sonnet-4-6",
      system: [{ text: SYSTEM }],
      messages: [{ role: "user" as const, content: [{ text: "hi" }] }],
    };
    await client.send(new ConverseCommand(input));
    await client.send(new ConverseCommand(input));
    const ops = mock.calls().map((c) => c.operation);
    expect(ops).toEqual(["CountTokens", "Converse", "Converse"]);
    const counted = await client.send(
      new (await import("@aws-sdk/client-bedrock-runtime")).CountTokensCommand({
        modelId: "anthropic.claude-sonnet-4-6",
        input: { converse: { system: input.system, messages: input.messages } },
      }),
    );
    expect(reports[0]!.plan!.totalTokens).toBe(counted.inputTokens);
  });

  it("exact counts with an image: counted once per image content (not per array), the caller's bytes untouched", async () => {
    const mock = new MockBedrock();
    const client = createMockClient(mock);
    client.middlewareStack.use(cachepoint({ countTokens: client }));
    const image = new Uint8Array(50_000).map((_, i) => (i * 13) & 255);
    const changed = image.slice();
    changed[25_000] = changed[25_000]! ^ 1;
    const ask = (bytes: Uint8Array) =>
      client.send(
        new ConverseCommand({
          modelId: "us.anthropic.claude-sonnet-4-6",
          system: [{ text: SYSTEM }],
          messages: [
            { role: "user", content: [{ image: { format: "png", source: { bytes } } }, { text: "hi" }] },
          ],
        }),
      );
    await ask(image);
    await ask(image.slice()); // equal content, another array
    await ask(changed);
    expect(mock.calls().map((c) => c.operation)).toEqual([
      "CountTokens",
      "Converse",
      "Converse",
      "CountTokens",
      "Converse",
    ]);
    expect(image[25_000]).toBe((25_000 * 13) & 255); // the caller's bytes untouched
  });

  it("exact counts fall back to estimates, with a note, when CountTokens refuses", async () => {
    const mock = new MockBedrock();
    const client = createMockClient(mock);
    const reports: CachepointReport[] = [];
    client.middlewareStack.use(cachepoint({ countTokens: client, onReport: (r) => reports.push(r) }));
    mock.failNext("AccessDeniedException", { message: "not allowed" });
    await client.send(
      new ConverseCommand({
        modelId: "us.anthropic.claude-sonnet-4-6",
        system: [{ text: SYSTEM }],
        messages: [{ role: "user", content: [{ text: "hi" }] }],
      }),
    );
    expect(reports[0]!.diagnostics[0]!.message).toMatch(/CountTokens was not available/);
    expect(reports[0]!.plan!.checkpoints.length).toBeGreaterThan(0);
  });

  it("the advisor learns that single-shot tails are never read and stops writing them", async () => {
    const { mock, client, reports } = setup(advisedOnMockTime);
    for (let i = 0; i < 6; i++) {
      if (i > 0) mock.advance(2 * 60_000); // two minutes apart: each tail expires unread before the sixth request
      await client.send(
        new ConverseCommand({
          modelId: "us.anthropic.claude-sonnet-4-6",
          system: [{ text: SYSTEM }],
          messages: [{ role: "user", content: [{ text: `unique question ${i} ${"detail ".repeat(100)}` }] }],
        }),
      );
    }
    expect(reports[0]!.plan!.checkpoints.map((c) => c.role)).toEqual(["system", "tail"]);
    expect(reports[5]!.plan!.checkpoints.map((c) => c.role)).toEqual(["system"]);
    // and so the last requests write nothing beyond the shared system prompt
    expect(reports[5]!.usage!.cacheWriteInputTokens).toBe(0);
  });

  it("a system prompt that holds the time: warned at once, and with the advisor the write premium stops", async () => {
    const { mock, client, reports } = setup(advisedOnMockTime);
    for (let i = 0; i < 10; i++) {
      if (i > 0) mock.advance(60_000);
      await client.send(
        new ConverseCommand({
          modelId: "us.anthropic.claude-sonnet-4-6",
          system: [{ text: `Current time: ${new Date(mock.clock.now()).toISOString()}. ${SYSTEM}` }],
          messages: [{ role: "user", content: [{ text: `ticket ${i}` }] }],
        }),
      );
    }
    expect(reports[0]!.diagnostics.map((d) => d.code)).toContain("volatile-prefix");
    expect(reports[0]!.usage!.cacheWriteInputTokens).toBeGreaterThan(1024);
    expect(reports.every((r) => r.usage!.cacheReadInputTokens === 0)).toBe(true); // the time moved every time
    // The advisor saw the prompt (without its time) written again and again and never read: nothing is written.
    expect(reports[9]!.plan!.checkpoints).toEqual([]);
    expect(reports[9]!.usage!.cacheWriteInputTokens).toBe(0);
    expect(reports[9]!.cost!.totalUsd).toBeLessThan(reports[0]!.cost!.totalUsd);
  });

  it("commands the plugin does not plan pass through untouched", async () => {
    const { client, reports, mock } = setup();
    const { CountTokensCommand } = await import("@aws-sdk/client-bedrock-runtime");
    const out = await client.send(
      new CountTokensCommand({
        modelId: "anthropic.claude-sonnet-4-6",
        input: { converse: { messages: [{ role: "user", content: [{ text: "hello there" }] }] } },
      }),
    );
    expect(out.inputTokens).toBeGreaterThan(0);
    expect(reports).toHaveLength(0);
    expect(mock.calls()[0]?.operation).toBe("CountTokens");
  });
});

describe("a gateway's hints, per call", () => {
  const ask = (system: string) =>
    new ConverseCommand({
      modelId: "us.anthropic.claude-sonnet-4-6",
      system: [{ text: system }],
      messages: [{ role: "user", content: [{ text: "hello" }] }],
    });
  const textOf = (input: Readonly<Record<string, unknown>>) =>
    (input.system as { text?: string }[] | undefined)?.[0]?.text ?? "";

  it("each application's requests get the TTL its own traffic calls for", async () => {
    const seen: string[] = [];
    const { client, reports } = setup({
      hints: (input, command) => {
        seen.push(command);
        return textOf(input).startsWith("Nightly")
          ? { requestsPerMinute: 1 / 20, nextTurnProbability: 0 } // one request every 20 minutes
          : { requestsPerMinute: 30, nextTurnProbability: 0 };
      },
    });
    await client.send(ask(`Nightly report writer. ${SYSTEM}`));
    await client.send(ask(`Support desk. ${SYSTEM}`));
    expect(seen).toEqual(["ConverseCommand", "ConverseCommand"]);
    expect(reports.map((r) => r.plan!.checkpoints.map((c) => c.ttl))).toEqual([["1h"], ["5m"]]);
  });

  it("a bad hint from the function fails that call with a typed error, before anything is sent", async () => {
    const { client, mock } = setup({ hints: () => ({ requestsPerMinute: -1 }) });
    await expect(client.send(ask(SYSTEM))).rejects.toMatchObject({ reason: "invalid-option" });
    expect(mock.calls()).toHaveLength(0);
  });
});

describe("the plugin refuses bad options when it is created", () => {
  it("a misspelt traffic hint throws a typed error naming the hint it meant", () => {
    let caught: unknown;
    try {
      cachepoint({ hints: { requestPerMinute: 2 } as never });
    } catch (e) {
      caught = e;
    }
    expect((caught as { reason?: string }).reason).toBe("invalid-option");
    expect((caught as Error).message).toMatch(/Unknown traffic hint "requestPerMinute".*requestsPerMinute/);
  });

  it("a misspelt strategy, TTL, alias target or callback fails when the plugin is made, not on every request", () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ strategy: "static" }, /Unknown strategy "static"; use auto, static-prefix, conversation or manual/],
      [{ ttl: "2h" }, /Unknown ttl "2h"/],
      [{ advisor: "yes" }, /advisor takes true, false or a CacheAdvisor/],
      [{ onReport: console }, /onReport must be a function/],
      [{ countTokens: {} }, /countTokens takes a BedrockRuntimeClient/],
      [
        {
          resolve: {
            aliases: {
              "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/x":
                "us.anthropic.claude-sonet-4-6",
            },
          },
        },
        /Alias ".*profile\/x" → "us.anthropic.claude-sonet-4-6": Unknown model.*anthropic.claude-sonnet-4-6/,
      ],
    ];
    for (const [options, message] of bad) {
      expect(() => cachepoint(options as never), JSON.stringify(options)).toThrowError(message);
      expect(() => cachepoint(options as never)).toThrowError(
        expect.objectContaining({ name: "CachepointError" }),
      );
    }
    const arn = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/x";
    expect(() =>
      cachepoint({
        strategy: "manual",
        ttl: "1h",
        advisor: true,
        resolve: { aliases: { [arn]: "us.anthropic.claude-sonnet-4-6" } },
      }),
    ).not.toThrow();
  });
});
