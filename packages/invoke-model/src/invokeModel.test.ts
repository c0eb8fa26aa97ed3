import { createEstimator, resolveModel } from "@cachepoint/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectBodyFormat, invokeModelLayout } from "./invokeModelLayout.js";
import { invokeModelUsage, tapInvokeModelStream } from "./invokeModelUsage.js";
import { prepareInvokeModel, prepareInvokeModelBody } from "./prepareInvokeModel.js";

const sonnet = resolveModel("us.anthropic.claude-sonnet-4-6");
const nova = resolveModel("us.amazon.nova-pro-v1:0");
const long = (w: string, n = 1500) => `${w} `.repeat(n);

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object") {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/** Text for blocks: a few kinds of character, and some long enough (over 4,096) for bytes to be read in place. */
const blockText = (shortMax: number, heads: readonly string[]) =>
  fc
    .tuple(
      fc.constantFrom(...heads),
      fc.oneof(fc.integer({ min: 0, max: shortMax }), fc.integer({ min: 2100, max: 2400 })),
    )
    .map(([s, n]) => s + "w ".repeat(n));

/** A record with the caller's own checkpoint under `key` first, last or not at all, as callers write it. */
const withOwnCheckpoint =
  (key: "cache_control" | "cachePoint", type: "ephemeral" | "default") =>
  <T extends Record<string, unknown>>(arb: fc.Arbitrary<T>) =>
    fc
      .tuple(
        arb,
        fc.constantFrom(undefined, { type }, { type, ttl: "5m" }, { type, ttl: "1h" }),
        fc.boolean(),
      )
      .map(([r, own, first]) =>
        own === undefined ? r : first ? { [key]: own, ...r } : { ...r, [key]: own },
      );

/** Key order and whitespace as a client might send them. */
const serialise = (body: Record<string, unknown>, indent: number, reversed: boolean) =>
  JSON.stringify(reversed ? Object.fromEntries(Object.entries(body).reverse()) : body, null, indent);

/** {@link expectWrittenInPlace} over random bodies, serialised with any key order and spacing, and strategies. */
function assertWrittenInPlace(
  bodyArb: fc.Arbitrary<Record<string, unknown>>,
  model: ReturnType<typeof resolveModel>,
): void {
  fc.assert(
    fc.property(
      bodyArb,
      fc.constantFrom(0, 2),
      fc.boolean(),
      fc.constantFrom("auto", "conversation", "static-prefix") as fc.Arbitrary<"auto">,
      (body, indent, reversed, strategy) =>
        expectWrittenInPlace(body, serialise(body, indent, reversed), model, strategy),
    ),
    { numRuns: Number(process.env.CACHEPOINT_FUZZ_RUNS ?? 200) },
  );
}

/**
 * A body written in place (as text, as bytes, and as the plugin sends it) parses to exactly what the re-serialising
 * path writes for the same body as an object, and text and bytes are edited alike.
 */
function expectWrittenInPlace(
  body: Record<string, unknown>,
  json: string,
  model: ReturnType<typeof resolveModel>,
  strategy: "auto",
): void {
  const viaText = prepareInvokeModel(json, { model, strategy });
  const viaObject = prepareInvokeModel(structuredClone(body), { model, strategy });
  expect(viaText.plan).toEqual(viaObject.plan);
  // Read from the text (message by message, the second time from what the first read remembered) as from the object.
  expect(viaText.layout).toEqual(viaObject.layout);
  expect(viaText.diagnostics).toEqual(viaObject.diagnostics);
  const again = prepareInvokeModel(json, { model, strategy });
  expect(again.layout).toEqual(viaObject.layout);
  expect(again.request).toEqual(viaText.request);
  expect(JSON.parse(viaText.request)).toEqual(viaObject.request);
  const viaBytes = prepareInvokeModel(new TextEncoder().encode(json), { model, strategy });
  expect(viaBytes.request).toBeInstanceOf(Uint8Array);
  expect(viaBytes.plan).toEqual(viaObject.plan);
  // Edited where the checkpoints go, in the bytes or in their text: the same body either way.
  expect(new TextDecoder().decode(viaBytes.request)).toBe(viaText.request);
  if (viaText.layout.checkpoints.length === 0 && viaText.plan.checkpoints.length === 0)
    expect(viaText.request).toBe(json);
  // What the plugin sends: an ASCII body as its bytes (written into, never re-serialised), any other as the same
  // text; the body itself when the plan leaves it as it is or Bedrock would refuse it.
  const sent = prepareInvokeModelBody(json, model, { strategy }, true).request;
  const ascii = new TextEncoder().encode(json).length === json.length;
  if (viaText.diagnostics.some((d) => d.severity === "error")) expect(sent).toBe(json);
  else if (ascii && viaText.request !== json) {
    expect(sent).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(sent as Uint8Array)).toBe(viaText.request);
  } else expect(sent).toBe(viaText.request);
}

describe("detectBodyFormat", () => {
  it("tells Anthropic, Nova, legacy and unknown bodies apart", () => {
    expect(detectBodyFormat({ anthropic_version: "bedrock-2023-05-31", messages: [] })).toBe("anthropic");
    expect(detectBodyFormat({ schemaVersion: "messages-v1", messages: [] })).toBe("nova");
    expect(detectBodyFormat({ messages: [{ role: "user", content: [{ text: "x" }] }] })).toBe("nova");
    expect(detectBodyFormat({ messages: [{ role: "user", content: [{ type: "text", text: "x" }] }] })).toBe(
      "anthropic",
    );
    expect(detectBodyFormat({ prompt: "Human: hi\n\nAssistant:" })).toBe("legacy-text-completion");
    expect(detectBodyFormat({ inputText: "titan" })).toBe("unknown");
  });
});

describe("invokeModelLayout (Anthropic)", () => {
  it("reads tools, string and block system, every block type, and cache_control placements", () => {
    const { layout, problems } = invokeModelLayout({
      anthropic_version: "bedrock-2023-05-31",
      tools: [{ name: "t", input_schema: { type: "object" }, cache_control: { type: "ephemeral" } }],
      system: "be brief",
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
            { type: "text", text: "what is this?" },
          ],
        },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "hmm", signature: "s", cache_control: { type: "ephemeral" } },
            { type: "tool_use", id: "u1", name: "t", input: {} },
          ],
        },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "u1",
              content: [{ type: "text", text: "r", cache_control: { type: "ephemeral", ttl: "1h" } }],
            },
          ],
        },
      ],
    });
    expect(problems).toEqual([]);
    expect(layout.blocks.map((b) => `${b.kind}:${b.path}`)).toEqual([
      "toolSpec:tools/0",
      "text:system",
      "image:messages/0/content/0",
      "text:messages/0/content/1",
      "reasoning:messages/1/content/0",
      "toolUse:messages/1/content/1",
      "toolResult:messages/2/content/0",
    ]);
    expect(layout.checkpoints.map((c) => [c.afterBlock, c.ttl, c.inside])).toEqual([
      [0, undefined, undefined],
      [4, undefined, "reasoning"],
      [6, "1h", "toolResult"],
    ]);
  });

  it("a top-level cache_control (automatic caching) is refused, as on Bedrock", () => {
    const { problems } = invokeModelLayout({
      anthropic_version: "bedrock-2023-05-31",
      cache_control: { type: "ephemeral" },
      messages: [{ role: "user", content: "x" }],
    });
    expect(problems[0]?.message).toMatch(/automatic caching\) is not supported on Bedrock/);
  });

  it("a tool result is identified by its outputs, not by a checkpoint inside it, and counted like its text", () => {
    const output = long("line", 400);
    const body = (content: unknown, isError?: boolean) => ({
      anthropic_version: "bedrock-2023-05-31",
      messages: [
        { role: "user", content: "run it" },
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "run", input: {} }] },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "t1", content, ...(isError && { is_error: true }) }],
        },
      ],
    });
    const result = (content: unknown, isError?: boolean) =>
      invokeModelLayout(body(content, isError)).layout.blocks.at(-1)!;
    const plain = result([{ type: "text", text: output }]);
    const marked = result([{ type: "text", text: output, cache_control: { type: "ephemeral" } }]);
    expect(marked.fingerprint).toBe(plain.fingerprint);
    expect(marked.tokens).toBe(plain.tokens);
    expect(result([{ type: "text", text: `${output}!` }]).fingerprint).not.toBe(plain.fingerprint);
    expect(result([{ type: "text", text: output }], true).fingerprint).not.toBe(plain.fingerprint);
    expect(result(output).fingerprint).not.toBe(plain.fingerprint); // a string and a block list are different content
    const textOnly = invokeModelLayout({
      anthropic_version: "bedrock-2023-05-31",
      messages: [{ role: "user", content: output }],
    }).layout.blocks[0]!.tokens;
    expect(plain.tokens).toBeGreaterThanOrEqual(textOnly);
    expect(plain.tokens).toBeLessThan(textOnly + 20); // the id and flags add a few tokens, not a serialised copy
    // Parts that are not plain text still count, checkpoint or not.
    const image = { type: "image", source: { type: "base64", media_type: "image/png", data: "aGVsbG8=" } };
    expect(result([image]).fingerprint).toBe(
      result([{ ...image, cache_control: { type: "ephemeral" } }]).fingerprint,
    );
  });

  it("an image is identified by its media type and every byte of its data, however large", () => {
    const data = Buffer.alloc(300_000, 7).toString("base64");
    const changed = `${data.slice(0, 200_000)}A${data.slice(200_001)}`;
    const image = (d: string, type = "image/png") =>
      invokeModelLayout({
        anthropic_version: "bedrock-2023-05-31",
        messages: [
          {
            role: "user",
            content: [{ type: "image", source: { type: "base64", media_type: type, data: d } }],
          },
        ],
      }).layout.blocks[0]!;
    expect(image(data).fingerprint).toBe(image(`${data}`).fingerprint);
    expect(image(changed).fingerprint).not.toBe(image(data).fingerprint);
    expect(image(data, "image/jpeg").fingerprint).not.toBe(image(data).fingerprint);
    expect(image(data).tokens).toBe(image(changed).tokens);
  });

  it("refuses non-JSON bodies with a typed error", () => {
    expect(() => invokeModelLayout("{not json")).toThrowError(/not valid JSON/);
  });
});

describe("prepareInvokeModel", () => {
  it("Anthropic: a string system prompt becomes one cached text block; the body keeps its type", () => {
    const body = JSON.stringify({
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 10,
      system: long("policy"),
      messages: [{ role: "user", content: "hi" }],
    });
    const p = prepareInvokeModel(body, { model: sonnet });
    expect(typeof p.request).toBe("string");
    const out = JSON.parse(p.request);
    expect(out.system).toEqual([
      { type: "text", text: long("policy"), cache_control: { type: "ephemeral" } },
    ]);
    expect(out.messages[0].content).toEqual([
      { type: "text", text: "hi", cache_control: { type: "ephemeral" } },
    ]);
    const bytes = prepareInvokeModel(new TextEncoder().encode(body), { model: sonnet });
    expect(bytes.request).toBeInstanceOf(Uint8Array);
  });

  it("Anthropic: 1h where the hints call for it, never on a model without it", () => {
    const body = {
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 10,
      system: [{ type: "text", text: long("policy") }],
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    };
    const hints = { requestsPerMinute: 1 / 20, nextTurnProbability: 0 };
    const p = prepareInvokeModel(body, { model: sonnet, hints });
    expect(p.request.system[0]).toMatchObject({ cache_control: { type: "ephemeral", ttl: "1h" } });
    const old = prepareInvokeModel(body, {
      model: resolveModel("anthropic.claude-3-7-sonnet-20250219-v1:0"),
      hints,
    });
    expect(JSON.stringify(old.request)).not.toContain('"ttl"');
  });

  it("Nova: cachePoint keys beside text, never in tools or after a toolResult", () => {
    const body = {
      schemaVersion: "messages-v1",
      system: [{ text: long("policy") }],
      toolConfig: {
        tools: [{ toolSpec: { name: "t", inputSchema: { json: {} } }, cachePoint: { type: "default" } }],
      },
      messages: [
        { role: "user", content: [{ toolResult: { toolUseId: "a", content: [{ text: long("r", 50) }] } }] },
      ],
    };
    const p = prepareInvokeModel(body, { model: nova });
    expect(p.request.system[0]).toEqual({ text: long("policy"), cachePoint: { type: "default" } });
    expect(p.request.toolConfig.tools[0]).not.toHaveProperty("cachePoint");
    expect(p.request.messages[0]!.content[0]).not.toHaveProperty("cachePoint");
  });

  it("reads bodies given as an ArrayBuffer, a DataView or another typed array, and answers in the same kind", () => {
    const body = JSON.stringify({
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 10,
      system: long("policy"),
      messages: [{ role: "user", content: "hi é" }], // one non-ASCII character: the bytes are encoded again
    });
    const bytes = new TextEncoder().encode(body);
    const expected = JSON.parse(prepareInvokeModel(body, { model: sonnet }).request);
    const text = (b: unknown) =>
      new TextDecoder().decode(
        b instanceof ArrayBuffer
          ? b
          : new Uint8Array((b as DataView).buffer, (b as DataView).byteOffset, (b as DataView).byteLength),
      );
    const buffer = bytes.slice().buffer;
    const fromBuffer = prepareInvokeModel(buffer, { model: sonnet });
    expect(fromBuffer.request).toBeInstanceOf(ArrayBuffer);
    expect(JSON.parse(text(fromBuffer.request))).toEqual(expected);
    expect(new TextDecoder().decode(buffer)).toBe(body); // the caller's buffer is untouched
    // A view into the middle of a larger buffer: only its own bytes are the body.
    const padded = new Uint8Array(bytes.length + 8);
    padded.set(bytes, 4);
    const view = new DataView(padded.buffer, 4, bytes.length);
    const fromView = prepareInvokeModel(view, { model: sonnet });
    expect(fromView.request).toBeInstanceOf(DataView);
    expect(JSON.parse(text(fromView.request))).toEqual(expected);
    expect(fromView.plan.checkpoints).toHaveLength(2);
    const int8 = prepareInvokeModel(new Int8Array(padded.buffer, 4, bytes.length), { model: sonnet });
    expect(int8.request).toBeInstanceOf(Int8Array);
    expect(JSON.parse(new TextDecoder().decode(int8.request))).toEqual(expected);
    const buf = prepareInvokeModel(Buffer.from(body), { model: sonnet });
    expect(Buffer.isBuffer(buf.request)).toBe(true);
    expect(JSON.parse(buf.request.toString("utf8"))).toEqual(expected);
  });

  it("a stream or Blob body goes through unread and unconsumed, with a diagnostic that says what to pass", async () => {
    const { Readable } = await import("node:stream");
    const stream = Readable.from([Buffer.from('{"anthropic_version":"bedrock-2023-05-31"}')]);
    const p = prepareInvokeModel(stream, { model: sonnet });
    expect(p.request).toBe(stream);
    expect(p.diagnostics[0]?.code).toBe("unknown-body-format");
    expect(p.diagnostics[0]?.message).toMatch(
      /is a stream, which cachepoint cannot read without consuming it.*string or bytes/,
    );
    expect(stream.readableFlowing).toBe(null); // nobody started reading it
    const blob = prepareInvokeModel(new Blob(["{}"]), { model: sonnet });
    expect(blob.diagnostics[0]?.message).toMatch(/is a Blob/);
    expect(() => prepareInvokeModel(stream, { model: sonnet, strict: true })).toThrowError(/is a stream/);
  });

  it("a session ID in an Anthropic body's system prompt is reported: a prefix that holds it would never be read", () => {
    const body = JSON.stringify({
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 10,
      system: `Session 3f2b8c1e-9a4d-4e2b-8f3a-1c2d3e4f5a6b. ${long("policy")}`,
      messages: [{ role: "user", content: "hi" }],
    });
    const d = prepareInvokeModel(body, { model: sonnet }).diagnostics.find(
      (x) => x.code === "volatile-prefix",
    );
    expect(d).toMatchObject({ severity: "warning", path: "system" });
    expect(d?.message).toMatch(/request or session ID/);
  });

  it("legacy and unknown bodies pass through untouched, with a diagnostic that explains", () => {
    const legacy = JSON.stringify({
      prompt: "Human: Test for caching.\n\nAssistant:",
      cache_control: { type: "default" },
      max_tokens: 10,
    });
    const p = prepareInvokeModel(legacy, { model: "us.anthropic.claude-3-7-sonnet-20250219-v1:0" });
    expect(p.request).toBe(legacy);
    expect(p.diagnostics[0]).toMatchObject({ code: "legacy-text-completion", severity: "error" });
    expect(p.diagnostics[0]?.message).toMatch(/Messages API/);
    const titan = { inputText: "hi" };
    const u = prepareInvokeModel(titan, { model: sonnet });
    expect(u.request).toBe(titan);
    expect(u.diagnostics[0]?.code).toBe("unknown-body-format");
    expect(() => prepareInvokeModel(titan, { model: sonnet, strict: true })).toThrowError(
      /unknown-body-format/,
    );
    const garbage = prepareInvokeModel("\u0000\u0001garbage", { model: sonnet });
    expect(garbage.diagnostics[0]?.code).toBe("unknown-body-format");
  });

  it("says how to call it when the model ID is passed where the options go, or no model at all", () => {
    const body = JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 8, messages: [] });
    const asJs = prepareInvokeModel as (body: unknown, options?: unknown) => unknown;
    expect(() => asJs(body, "us.anthropic.claude-sonnet-4-6")).toThrowError(
      /got the string "us.anthropic.claude-sonnet-4-6" as options: pass \{ model: "us.anthropic.claude-sonnet-4-6" \}/,
    );
    expect(() => asJs(body, {})).toThrowError(/needs options.model/);
    expect(() => asJs(body)).toThrowError(
      expect.objectContaining({ name: "CachepointError", reason: "invalid-option" }),
    );
  });

  it("never mutates the body, and removing the added cache_control gives the body back (block form)", () => {
    const block = fc.record({
      type: fc.constant("text"),
      text: fc.string({ maxLength: 30 }).map((s) => s + "w ".repeat(700)),
    });
    const bodyArb = fc.record({
      anthropic_version: fc.constant("bedrock-2023-05-31"),
      max_tokens: fc.constant(10),
      system: fc.array(block, { minLength: 1, maxLength: 3 }),
      messages: fc
        .array(fc.array(block, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 })
        .map((ms) => ms.map((content, i) => ({ role: i % 2 ? "assistant" : "user", content }))),
    });
    const strip = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(strip)
        : v && typeof v === "object"
          ? Object.fromEntries(
              Object.entries(v)
                .filter(([k]) => k !== "cache_control")
                .map(([k, x]) => [k, strip(x)]),
            )
          : v;
    fc.assert(
      fc.property(bodyArb, (body) => {
        const frozen = deepFreeze(structuredClone(body));
        const p = prepareInvokeModel(frozen, { model: sonnet });
        expect(frozen).toEqual(body);
        expect(strip(p.request)).toEqual(body);
        expect(JSON.stringify(p.request).split("cache_control").length - 1).toBe(p.plan.checkpoints.length);
      }),
      { numRuns: Number(process.env.CACHEPOINT_FUZZ_RUNS ?? 200) },
    );
  });
});

describe("an Anthropic body is written into its own text, its own checkpoints kept, changed or dropped", () => {
  const text = blockText(900, ["", "é ", "\n\t", 'quote " back \\ slash ', "日本 "]);
  const withCheckpoint = withOwnCheckpoint("cache_control", "ephemeral");
  const block = fc.oneof(
    withCheckpoint(fc.record({ type: fc.constant("text"), text })),
    withCheckpoint(fc.record({ type: fc.constant("text"), text, citations: fc.constant([]) })),
    withCheckpoint(
      fc.record({
        type: fc.constant("tool_result"),
        tool_use_id: fc.constant("t1"),
        content: fc.array(withCheckpoint(fc.record({ type: fc.constant("text"), text })), { maxLength: 2 }),
      }),
    ),
    // Content that is not a tool result's: a cache_control in it is not the plan's to drop.
    fc.record({
      type: fc.constant("web_search_tool_result"),
      tool_use_id: fc.constant("s1"),
      content: fc.array(
        withCheckpoint(
          fc.record({ type: fc.constant("web_search_result"), url: fc.constant("u"), title: text }),
        ),
        { maxLength: 2 },
      ),
    }),
    // A checkpoint alone in its block (no type): a block Bedrock refuses, which the reader reports.
    fc.constant({ cache_control: { type: "ephemeral" } }),
  );
  const content = fc.oneof(text, fc.array(block, { minLength: 1, maxLength: 3 }));
  const bodyArb = fc.record(
    {
      anthropic_version: fc.constant("bedrock-2023-05-31"),
      max_tokens: fc.constant(10),
      tools: fc.array(
        withCheckpoint(
          fc.record({ name: fc.constantFrom("a", "b"), description: text, input_schema: fc.constant({}) }),
        ),
        {
          maxLength: 2,
        },
      ),
      system: fc.oneof(text, fc.array(block, { minLength: 1, maxLength: 2 })),
      messages: fc
        .array(content, { minLength: 1, maxLength: 5 })
        .map((ms) => ms.map((c, i) => ({ role: i % 2 ? "assistant" : "user", content: c }))),
    },
    { requiredKeys: ["anthropic_version", "max_tokens", "messages"] },
  );

  it("parses to exactly what the re-serialising path writes, for strings and bytes, in any layout of the text", () =>
    assertWrittenInPlace(bodyArb, sonnet));

  it("keeps the caller's bytes outside the inserted checkpoints", () => {
    const json = `{ "anthropic_version" : "bedrock-2023-05-31",\n  "system": ${JSON.stringify(long("policy"))},\n  "messages": [ {"role":"user","content":"hi"} ] }`;
    const { request } = prepareInvokeModel(json, { model: sonnet });
    // The system prompt and the question (the tail) each become one cached text block; spacing stays as sent.
    expect(request).toBe(
      json
        .replace(
          `"system": ${JSON.stringify(long("policy"))}`,
          `"system": [{"type":"text","text":${JSON.stringify(long("policy"))},"cache_control":{"type":"ephemeral"}}]`,
        )
        .replace(
          `"content":"hi"`,
          `"content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}}]`,
        ),
    );
  });
});

describe("a Nova body is written into its own text, its own cachePoint keys kept, changed or dropped", () => {
  const text = blockText(600, ["", "é ", "\n\t", 'quote " back \\ slash ']);
  const withCachePoint = withOwnCheckpoint("cachePoint", "default");
  const content = fc.oneof(
    withCachePoint(fc.record({ text })),
    // A tool result's own content keeps its cachePoint keys: not the plan's to drop.
    withCachePoint(
      fc.record({
        toolResult: fc.record({
          toolUseId: fc.constant("a"),
          content: fc.array(withCachePoint(fc.record({ text })), { maxLength: 2 }),
        }),
      }),
    ),
  );
  const bodyArb = fc.record(
    {
      schemaVersion: fc.constant("messages-v1"),
      inferenceConfig: fc.constant({ maxTokens: 10 }),
      toolConfig: fc.record({
        tools: fc.array(
          withCachePoint(
            fc.record({ toolSpec: fc.record({ name: fc.constantFrom("a", "b"), description: text }) }),
          ),
          { maxLength: 2 },
        ),
      }),
      system: fc.array(withCachePoint(fc.record({ text })), { minLength: 1, maxLength: 2 }),
      messages: fc
        .array(fc.array(content, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 })
        .map((ms) => ms.map((c, i) => ({ role: i % 2 ? "assistant" : "user", content: c }))),
    },
    { requiredKeys: ["schemaVersion", "messages"] },
  );

  it("parses to exactly what the re-serialising path writes, for strings and bytes, in any layout of the text", () =>
    assertWrittenInPlace(bodyArb, nova));
});

describe("usage from InvokeModel responses and streams", () => {
  it("reads Anthropic and Nova bodies", () => {
    expect(
      invokeModelUsage(
        JSON.stringify({ usage: { input_tokens: 3, cache_read_input_tokens: 5000, output_tokens: 9 } }),
      ).cacheReadInputTokens,
    ).toBe(5000);
    expect(
      invokeModelUsage({ usage: { inputTokens: 3, cacheWriteInputTokenCount: 2000, outputTokens: 9 } })
        .cacheWriteInputTokens,
    ).toBe(2000);
    expect(invokeModelUsage("not json").inputTokens).toBe(0);
  });

  it("reads usage from response bytes the same wherever it sits, and never a nested or quoted one", () => {
    const usage = {
      input_tokens: 3,
      cache_creation_input_tokens: 2048,
      cache_read_input_tokens: 5000,
      cache_creation: { ephemeral_5m_input_tokens: 48, ephemeral_1h_input_tokens: 2000 },
      output_tokens: 9,
    };
    const bytes = (text: string) => new TextEncoder().encode(text);
    const reply = 'He said ,"usage":{"input_tokens":1} and left.\n\\';
    const bodies = [
      // as Anthropic writes it: usage last
      { id: "m", content: [{ type: "text", text: reply }], stop_reason: "end_turn", usage },
      // usage first, and a tool's input with a usage of its own as the last thing
      {
        usage,
        content: [{ type: "tool_use", name: "t", input: { usage: { input_tokens: 999 } } }],
      },
      { content: [{ type: "text", text: "x" }], usage, extra: { usage: { input_tokens: 999 } } },
    ];
    for (const body of bodies) {
      const text = JSON.stringify(body, null, body.usage === usage ? 0 : 2);
      expect(invokeModelUsage(bytes(text))).toEqual(invokeModelUsage(JSON.parse(text)));
      expect(invokeModelUsage(bytes(text)).cacheWriteByTtl["1h"]).toBe(2000);
    }
    // no top-level usage: a nested one is not the response's
    for (const body of [
      { content: [{ type: "tool_use", input: { usage } }] },
      { content: [], metadata: { usage } },
      { note: reply.replace("usage", "usage") },
    ]) {
      expect(invokeModelUsage(bytes(JSON.stringify(body))).inputTokens).toBe(0);
    }
    expect(invokeModelUsage(bytes(' {"usage" : { "input_tokens" : 7 } }\n')).inputTokens).toBe(7);
    expect(invokeModelUsage(bytes('{"a":1,"usage":{"input_tokens":7}')).inputTokens).toBe(0); // truncated
  });

  it("taps a stream without consuming it: every event passes, usage arrives at the end", async () => {
    const enc = (o: unknown) => ({ chunk: { bytes: new TextEncoder().encode(JSON.stringify(o)) } });
    const events = [
      enc({
        type: "message_start",
        message: {
          usage: {
            input_tokens: 4,
            cache_read_input_tokens: 4000,
            cache_creation_input_tokens: 0,
            output_tokens: 1,
          },
        },
      }),
      enc({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "hi" } }),
      enc({ type: "message_delta", usage: { output_tokens: 42 } }),
      enc({ type: "message_stop" }),
    ];
    async function* source() {
      yield* events;
    }
    const seen: unknown[] = [];
    let usage: unknown;
    for await (const ev of tapInvokeModelStream(source(), (u) => (usage = u))) seen.push(ev);
    expect(seen).toEqual(events);
    expect(usage).toMatchObject({ inputTokens: 4, cacheReadInputTokens: 4000, outputTokens: 42 });
  });

  it("takes Bedrock's invocation metrics from the last chunk over the chunks' own usage, with the latency", async () => {
    const enc = (o: unknown) => ({ chunk: { bytes: new TextEncoder().encode(JSON.stringify(o)) } });
    async function* source() {
      yield enc({ type: "message_start", message: { usage: { input_tokens: 1, output_tokens: 1 } } });
      // A text delta that mentions usage is read and passed on like any other.
      yield enc({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "usage" } });
      yield enc({
        type: "message_stop",
        "amazon-bedrock-invocationMetrics": {
          inputTokenCount: 7,
          outputTokenCount: 9,
          invocationLatency: 812,
          firstByteLatency: 90,
          cacheReadInputTokenCount: 3000,
          cacheWriteInputTokenCount: 0,
        },
      });
    }
    let usage: unknown;
    let latency: unknown;
    for await (const _ of tapInvokeModelStream(source(), (u, l) => {
      usage = u;
      latency = l;
    }));
    expect(usage).toMatchObject({ inputTokens: 7, outputTokens: 9, cacheReadInputTokens: 3000 });
    expect(latency).toEqual({ firstByteMs: 90, totalMs: 812 });
  });
});

describe("an Anthropic body as text is read message by message, as the whole body is", () => {
  const system = long("policy", 2000); // long enough for the message-by-message read
  const message = fc.oneof(
    fc.record({ role: fc.constantFrom("user", "assistant"), content: blockText(300, ["", "é ", 'a " b ']) }),
    fc.record({
      role: fc.constant("assistant"),
      content: fc.array(
        fc.oneof(
          fc.record({
            type: fc.constant("tool_use"),
            id: fc.constantFrom("t1", "t2", "t12"),
            name: fc.constant("run"),
            input: fc.record({ cmd: fc.constantFrom("make", "make step1", "ls -la") }),
          }),
          withOwnCheckpoint(
            "cache_control",
            "ephemeral",
          )(fc.record({ type: fc.constant("text"), text: blockText(50, ["x "]) })),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    fc.record({
      role: fc.constant("user"),
      content: fc.array(
        fc.record({
          type: fc.constant("tool_result"),
          tool_use_id: fc.constantFrom("t1", "t2"),
          content: fc.array(
            withOwnCheckpoint(
              "cache_control",
              "ephemeral",
            )(fc.record({ type: fc.constant("text"), text: blockText(200, ["out "]) })),
            { maxLength: 2 },
          ),
        }),
        { minLength: 1, maxLength: 2 },
      ),
    }),
  );
  const body = (messages: unknown[]) => ({
    anthropic_version: "bedrock-2023-05-31",
    max_tokens: 10,
    system,
    messages,
  });
  // Enough messages for the body to be read message by message.
  const turns = [1, 2, 3, 4].map((i) => ({ role: i % 2 ? "user" : "assistant", content: `turn ${i}` }));
  const asObject = (json: string) => invokeModelLayout(JSON.parse(json), { provider: "anthropic" });

  it("gives the same layout, plan and body as the whole parse, for an agent's growing history in any order", () => {
    fc.assert(
      fc.property(
        fc.array(message, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.constantFrom(0, 2),
        (history, moves, indent) => {
          // Each step sends the history so far: the same message texts again, at the same or other places.
          const steps = history.map((_, i) => history.slice(0, i + 1));
          const shuffled = [...history];
          for (const m of moves) shuffled.push(shuffled.splice(m % shuffled.length, 1)[0]!);
          for (const messages of [...steps, shuffled]) {
            const json = JSON.stringify(body(messages), null, indent);
            const viaText = prepareInvokeModel(json, { model: sonnet });
            const viaObject = prepareInvokeModel(JSON.parse(json), { model: sonnet });
            expect(viaText.layout).toEqual(asObject(json).layout);
            expect(viaText.plan).toEqual(viaObject.plan);
            expect(viaText.diagnostics).toEqual(viaObject.diagnostics);
            expect(JSON.parse(viaText.request)).toEqual(viaObject.request);
          }
        },
      ),
      { numRuns: Number(process.env.CACHEPOINT_FUZZ_RUNS ?? 100) },
    );
  });

  it("counts a message read before again with another counter", () => {
    const json = JSON.stringify(body([...turns, { role: "user", content: long("question", 300) }]));
    const plain = prepareInvokeModel(json, { model: sonnet }).layout.blocks.at(-1)!.tokens;
    const scaled = createEstimator({ scale: 2 });
    expect(prepareInvokeModel(json, { model: sonnet, counter: scaled }).layout.blocks.at(-1)!.tokens).toBe(
      scaled.count(long("question", 300)),
    );
    expect(scaled.count(long("question", 300))).not.toBe(plain);
  });

  it("takes the last of two messages lists, as JSON.parse does, and reports a message's problems at its place", () => {
    const four = JSON.stringify(turns);
    const twice = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"system":${JSON.stringify(system)},"messages":${four},"messages":${four.replace("turn 1", "turn one")}}`;
    expect(prepareInvokeModel(twice, { model: sonnet }).layout).toEqual(asObject(twice).layout);
    expect(prepareInvokeModel(twice, { model: sonnet }).layout.blocks[1]!.fingerprint).toBe(
      asObject(JSON.stringify(body(JSON.parse(four.replace("turn 1", "turn one"))))).layout.blocks[1]!
        .fingerprint,
    );
    const badRole = JSON.stringify(
      body([...turns, { role: "user", content: "hi" }, { role: "system", content: "x" }]),
    );
    const p = prepareInvokeModel(badRole, { model: sonnet });
    expect(p.diagnostics.find((d) => d.path === "messages/5/role")?.severity).toBe("error");
    expect(p.request).toBe(badRole);
  });

  it("refuses a body whose message is not valid JSON as the whole parse does, leaving it untouched", () => {
    const valid = JSON.stringify(body([...turns, { role: "user", content: "hi" }]));
    const broken = valid.replace('"content":"hi"', '"content":hi');
    const p = prepareInvokeModel(broken, { model: sonnet });
    expect(p.request).toBe(broken);
    expect(p.diagnostics[0]?.code).toBe("unknown-body-format");
    expect(p.diagnostics[0]?.message).toMatch(/not valid JSON/);
  });
});
