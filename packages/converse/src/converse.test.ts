import { resolveModel } from "@cachepoint/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyConversePlan, stripCachePoints } from "./applyConversePlan.js";
import { converseLayout } from "./converseLayout.js";
import { prepareConverse } from "./prepareConverse.js";

const sonnet = resolveModel("us.anthropic.claude-sonnet-4-6");
const nova = resolveModel("us.amazon.nova-pro-v1:0");
const long = (label: string, n = 400) => `${label} `.repeat(n);

function deepFreeze<T>(o: T): T {
  if (o && typeof o === "object") {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

describe("converseLayout reads every block type Bedrock accepts", () => {
  const input = {
    toolConfig: {
      tools: [
        { toolSpec: { name: "get_order", inputSchema: { json: { type: "object" } } } },
        { cachePoint: { type: "default" } },
      ],
      toolChoice: { auto: {} },
    },
    system: [
      { text: "sys" },
      { guardContent: { text: { text: "guard" } } },
      { cachePoint: { type: "default", ttl: "1h" } },
    ],
    messages: [
      {
        role: "user",
        content: [
          { text: "q" },
          { image: { format: "png", source: { bytes: "iVBORw0KGgo=" } } },
          { document: { format: "txt", name: "notes", source: { text: "hello" } } },
          { video: { format: "mp4", source: { s3Location: { uri: "s3://b/v.mp4" } } } },
          {
            toolResult: {
              toolUseId: "t1",
              content: [{ json: { ok: true } }, { cachePoint: { type: "default" } }],
            },
          },
          { searchResult: { source: "s", title: "t", content: [{ text: "r" }] } },
          { futureBlock: { x: 1 } },
        ],
      },
      {
        role: "assistant",
        content: [
          { reasoningContent: { reasoningText: { text: "hmm", signature: "sig" } } },
          { toolUse: { toolUseId: "t2", name: "get_order", input: { id: 1 } } },
          { citationsContent: { content: [{ text: "c" }] } },
        ],
      },
    ],
  };

  it("in processing order, with kinds, paths, message roles and checkpoints", () => {
    const { layout, problems } = converseLayout(input);
    expect(problems).toEqual([]);
    expect(layout.blocks.map((b) => `${b.section}:${b.kind}:${b.path}`)).toEqual([
      "tools:toolSpec:toolConfig/tools/0",
      "system:text:system/0",
      "system:guardContent:system/1",
      "messages:text:messages/0/content/0",
      "messages:image:messages/0/content/1",
      "messages:document:messages/0/content/2",
      "messages:video:messages/0/content/3",
      "messages:toolResult:messages/0/content/4",
      "messages:searchResult:messages/0/content/5",
      "messages:unknown:messages/0/content/6",
      "messages:reasoning:messages/1/content/0",
      "messages:toolUse:messages/1/content/1",
      "messages:citations:messages/1/content/2",
    ]);
    expect(layout.blocks[5]?.documentFormat).toBe("txt");
    expect(layout.blocks[10]?.role).toBe("assistant");
    expect(layout.checkpoints.map((c) => [c.afterBlock, c.ttl, c.inside])).toEqual([
      [0, undefined, undefined],
      [2, "1h", undefined],
      [7, undefined, "toolResult"],
    ]);
    expect(layout.settings?.toolChoice).toBeDefined();
  });

  it("reads a checkpoint inside a tool result's content as Converse has one there, and leaves Nova's alone", () => {
    const request = {
      messages: [
        {
          role: "user",
          content: [
            { toolResult: { toolUseId: "t", content: [{ text: "out", cachePoint: { type: "default" } }] } },
          ],
        },
      ],
    };
    expect(converseLayout(request).layout.checkpoints.map((c) => [c.afterBlock, c.inside])).toEqual([
      [0, "toolResult"],
    ]);
    expect(converseLayout(request, { cachePointStyle: "key" }).layout.checkpoints).toEqual([]);
  });

  it("media as bytes or as base64 text is identified by every byte, however large", () => {
    const bytes = new Uint8Array(300_000).fill(7);
    const changed = bytes.slice();
    changed[200_000] = 8;
    const asBytes = (b: Uint8Array, format = "png") =>
      converseLayout({ messages: [{ role: "user", content: [{ image: { format, source: { bytes: b } } }] }] })
        .layout.blocks[0]!;
    const asText = (b: Uint8Array, format = "png") =>
      converseLayout({
        messages: [
          {
            role: "user",
            content: [{ image: { format, source: { bytes: Buffer.from(b).toString("base64") } } }],
          },
        ],
      }).layout.blocks[0]!;
    for (const read of [asBytes, asText]) {
      expect(read(bytes.slice()).fingerprint).toBe(read(bytes).fingerprint);
      expect(read(changed).fingerprint).not.toBe(read(bytes).fingerprint);
      expect(read(bytes, "jpeg").fingerprint).not.toBe(read(bytes).fingerprint);
      expect(read(changed).tokens).toBe(read(bytes).tokens);
    }
  });

  it("flags what Bedrock rejects as malformed: two union members, no member, bad roles, non-lists", () => {
    const { problems } = converseLayout({
      system: "not a list",
      messages: [{ role: "bot", content: [{ text: "a", cachePoint: { type: "default" } }, {}] }],
    });
    expect(problems.map((p) => p.message)).toEqual([
      "system must be a list.",
      'Message at messages.0 has role "bot"; use "user" or "assistant".',
      expect.stringMatching(
        /ContentBlock object at messages.0.content.0 can only set one of the following keys/,
      ),
      expect.stringMatching(/sets no member/),
    ]);
    expect(() => converseLayout("nope")).toThrowError(/must be a JSON object/);
  });

  it("refuses a model ID passed where the options go, instead of planning for the request's own model", () => {
    const input = {
      modelId: "us.amazon.nova-pro-v1:0",
      messages: [{ role: "user" as const, content: [{ text: "hi" }] }],
    };
    const asJs = prepareConverse as (input: unknown, options?: unknown) => unknown;
    expect(() => asJs(input, "us.anthropic.claude-sonnet-4-6")).toThrowError(
      expect.objectContaining({
        reason: "invalid-option",
        message: expect.stringContaining('pass { model: "us.anthropic.claude-sonnet-4-6" }'),
      }),
    );
    expect(() => asJs(input, null)).toThrowError(/takes an options object; got null/);
  });

  it("reads image and document bytes as the SDK takes them (Uint8Array) like their base64 on the wire", () => {
    const image = new Uint8Array(300_000).map((_, i) => (i * 7) & 255);
    const other = image.slice();
    other[150_000] = other[150_000]! ^ 1;
    const base64 = Buffer.from(image).toString("base64");
    const read = (bytes: unknown, inToolResult = false) => {
      const part = { image: { format: "png", source: { bytes } } };
      const content = inToolResult
        ? [{ toolResult: { toolUseId: "t1", content: [part] } }]
        : [part, { text: "What is in this picture?" }];
      return converseLayout({ messages: [{ role: "user", content }] }).layout.blocks[0]!;
    };
    const sdk = read(image);
    // Estimated as an image of that size, as its base64 form is, not from a JSON dump of 300,000 numbered keys.
    expect(sdk.tokens).toBe(read(base64).tokens);
    expect(sdk.tokens).toBe(1500); // 300,000 bytes / 200
    expect(read(image).fingerprint).toBe(sdk.fingerprint);
    expect(read(other).fingerprint).not.toBe(sdk.fingerprint);
    // A tool's image result is media too: its tokens are the image estimate, under a tool result's own few.
    const tool = read(image, true);
    expect(tool.tokens).toBeGreaterThanOrEqual(1500);
    expect(tool.tokens).toBeLessThan(1600);
    expect(read(other, true).fingerprint).not.toBe(tool.fingerprint);
    const pdf = converseLayout({
      messages: [
        { role: "user", content: [{ document: { format: "pdf", name: "terms", source: { bytes: image } } }] },
      ],
    }).layout.blocks[0]!;
    expect(pdf.tokens).toBe(75_000);
  });

  it("reads a Nova body's cachePoint keys (key style)", () => {
    const { layout } = converseLayout(
      {
        system: [{ text: long("s"), cachePoint: { type: "default" } }],
        messages: [{ role: "user", content: [{ text: "q" }] }],
      },
      { cachePointStyle: "key" },
    );
    expect(layout.checkpoints).toEqual([
      { afterBlock: 0, ttl: undefined, path: "system/0/cachePoint", section: "system" },
    ]);
  });
});

describe("a per-request value in the cached prefix", () => {
  it("Converse: the time in the system prompt or a tool's description is reported; in a message it is not", () => {
    const now = new Date(Date.UTC(2026, 11, 7, 14, 51, 23)).toString();
    const p = prepareConverse({
      modelId: "us.anthropic.claude-sonnet-4-6",
      system: [{ text: `${long("policy", 1500)} It is ${now}.` }],
      messages: [{ role: "user", content: [{ text: `It is ${now}. hi` }] }],
    });
    const found = p.diagnostics.filter((d) => d.code === "volatile-prefix");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: "warning", path: "system/0" });
    const tool = prepareConverse({
      modelId: "us.anthropic.claude-sonnet-4-6",
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: "lookup",
              description: `${long("lookup", 1500)} Generated 2026-12-07T14:51:23Z.`,
              inputSchema: { json: { type: "object" } },
            },
          },
        ],
      },
      system: [{ text: long("policy", 1500) }],
      messages: [{ role: "user", content: [{ text: "hi" }] }],
    });
    expect(tool.diagnostics.find((d) => d.code === "volatile-prefix")?.path).toBe("toolConfig/tools/0");
  });
});

describe("tool results are read part by part", () => {
  const req = (output: string, status?: string) => ({
    messages: [
      {
        role: "user",
        content: [
          { toolResult: { toolUseId: "t1", ...(status && { status }), content: [{ text: output }] } },
        ],
      },
    ],
  });
  const block = (x: unknown) => converseLayout(x).layout.blocks[0]!;

  it("equal content gives an equal fingerprint; a changed output, id or status gives another", () => {
    const out = "build log line ".repeat(100);
    expect(block(req(out)).fingerprint).toBe(block(structuredClone(req(out))).fingerprint);
    expect(block(req(`${out}!`)).fingerprint).not.toBe(block(req(out)).fingerprint);
    expect(block(req(out, "error")).fingerprint).not.toBe(block(req(out)).fingerprint);
    const otherId = req(out);
    (otherId.messages[0]!.content[0]!.toolResult as { toolUseId: string }).toolUseId = "t2";
    expect(block(otherId).fingerprint).not.toBe(block(req(out)).fingerprint);
  });

  it("counts about the tokens of the output it carries", () => {
    const out = "word ".repeat(4000);
    const plain = converseLayout({ messages: [{ role: "user", content: [{ text: out }] }] }).layout
      .blocks[0]!;
    const tokens = block(req(out)).tokens;
    expect(tokens).toBeGreaterThanOrEqual(plain.tokens);
    expect(tokens).toBeLessThan(plain.tokens + 20);
  });
});

describe("applyConversePlan", () => {
  it("returns the request itself when the plan changes nothing, and copies only the arrays it writes into", () => {
    const small = {
      modelId: "us.anthropic.claude-sonnet-4-6",
      messages: [{ role: "user", content: [{ text: "hi" }] }],
    };
    expect(prepareConverse(small).request).toBe(small); // below the minimum: no checkpoint
    const history = [
      { role: "user" as const, content: [{ text: "first question" }] },
      { role: "assistant" as const, content: [{ text: "first answer" }] },
    ];
    const big = {
      modelId: "us.anthropic.claude-sonnet-4-6",
      system: [{ text: "policy ".repeat(4000) }],
      messages: [...history, { role: "user" as const, content: [{ text: "second question" }] }],
    };
    const out = prepareConverse(big).request;
    expect(out).not.toBe(big);
    expect(out.system).not.toBe(big.system);
    expect(out.messages[0]).toBe(history[0]); // untouched history keeps its identity
    expect(out.messages[1]).toBe(history[1]);
  });

  it("writes cachePoint blocks after the planned blocks, ttl only where the model offers it", () => {
    const input = deepFreeze({
      system: [{ text: long("policy", 1500) }],
      messages: [{ role: "user", content: [{ text: "q" }] }],
    });
    const { request, plan } = prepareConverse(
      { modelId: sonnet.requestedId, ...input },
      { hints: { requestsPerMinute: 1 / 20, nextTurnProbability: 0 } },
    );
    expect(plan.checkpoints.map((c) => c.ttl)).toEqual(["1h"]);
    expect(request.system).toEqual([
      { text: input.system[0]!.text },
      { cachePoint: { type: "default", ttl: "1h" } },
    ]);
    expect(request.messages).toBe(input.messages); // untouched sections keep their identity
    const onNova = prepareConverse({ modelId: nova.requestedId, ...input });
    expect(JSON.stringify(onNova.request)).not.toContain("ttl");
  });

  it("removes a checkpoint Bedrock would reject and reports it", () => {
    const input = deepFreeze({
      modelId: nova.requestedId,
      toolConfig: {
        tools: [{ toolSpec: { name: "t", inputSchema: { json: {} } } }, { cachePoint: { type: "default" } }],
      },
      system: [{ text: long("s", 2000) }],
      messages: [{ role: "user", content: [{ text: "q" }] }],
    });
    const { request, plan } = prepareConverse(input);
    expect(request.toolConfig.tools).toHaveLength(1);
    expect(plan.changes).toContainEqual(
      expect.objectContaining({ action: "removed", path: "toolConfig/tools/1" }),
    );
    expect(request.system.at(-1)).toEqual({ cachePoint: { type: "default" } });
  });

  it("keeps a valid caller checkpoint as the very same object", () => {
    const cp = { cachePoint: { type: "default" as const, ttl: "1h" as const } };
    const input = {
      modelId: sonnet.requestedId,
      system: [{ text: long("s", 2000) }, cp],
      messages: [{ role: "user", content: [{ text: "q" }] }],
    };
    const { request } = prepareConverse(input);
    expect(request.system[1]).toBe(cp);
  });

  it("manual strategy sends the request as it is", () => {
    const input = {
      modelId: sonnet.requestedId,
      system: [{ text: "x" }, { cachePoint: { type: "default" } }],
      messages: [{ role: "user", content: [{ text: "q" }] }],
    };
    expect(prepareConverse(input, { strategy: "manual" }).request).toBe(input);
  });

  it("strict mode throws on what Bedrock would reject; unknown models pass through with a diagnostic", () => {
    const bad = {
      modelId: nova.requestedId,
      system: [{ text: "x" }, { cachePoint: { type: "default", ttl: "1h" } }],
      messages: [{ role: "user", content: [{ text: "q" }] }],
    };
    expect(() => prepareConverse(bad, { strategy: "manual", strict: true })).toThrowError(/ttl-unsupported/);
    const unknown = {
      modelId: "us.anthropic.claude-sonet-9",
      messages: [{ role: "user", content: [{ text: "q" }] }],
    };
    const p = prepareConverse(unknown);
    expect(p.request).toBe(unknown);
    expect(p.diagnostics[0]?.code).toBe("unknown-model");
  });
});

// Random Converse requests (no checkpoints of their own): planning and writing never mutates the input, and
// stripping the added checkpoints gives back the input exactly.
const textBlock = fc
  .string({ maxLength: 40 })
  .chain((t) => fc.integer({ min: 0, max: 3000 }).map((n) => ({ text: t + "w ".repeat(n) })));
const contentBlock = fc.oneof(
  textBlock,
  fc.record({
    toolUse: fc.record({
      toolUseId: fc.string({ minLength: 1, maxLength: 8 }),
      name: fc.constantFrom("a", "b"),
      input: fc.object({ maxDepth: 2 }),
    }),
  }),
  fc.record({
    toolResult: fc.record({
      toolUseId: fc.string({ minLength: 1, maxLength: 8 }),
      content: fc.array(fc.record({ text: fc.string({ maxLength: 200 }) }), { maxLength: 3 }),
    }),
  }),
  fc.record({
    reasoningContent: fc.record({ reasoningText: fc.record({ text: fc.string({ maxLength: 200 }) }) }),
  }),
  fc.record({
    document: fc.record({
      format: fc.constantFrom("pdf", "txt", "md"),
      name: fc.constant("d"),
      source: fc.record({ text: fc.string({ maxLength: 2000 }) }),
    }),
  }),
);
const requestArb = fc.record({
  modelId: fc.constantFrom(
    sonnet.requestedId,
    nova.requestedId,
    "us.anthropic.claude-haiku-4-5-20251001-v1:0",
    "global.anthropic.claude-opus-5",
  ),
  system: fc.array(textBlock, { maxLength: 3 }),
  messages: fc
    .array(fc.array(contentBlock, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 })
    .map((ms) => ms.map((content, i) => ({ role: i % 2 === 0 ? "user" : "assistant", content }))),
});

describe("properties", () => {
  it("strip(apply(x)) equals x and x is never mutated", () => {
    fc.assert(
      fc.property(
        requestArb,
        fc.constantFrom("auto", "static-prefix", "conversation") as fc.Arbitrary<"auto">,
        (x, strategy) => {
          const frozen = deepFreeze(structuredClone(x));
          const { request } = prepareConverse(frozen, { strategy });
          expect(stripCachePoints(request)).toEqual(stripCachePoints(frozen));
          expect(frozen).toEqual(x);
          // and what was written is what the plan says
          const reread = converseLayout(request).layout;
          const { plan } = prepareConverse(frozen, { strategy });
          expect(reread.checkpoints.map((c) => c.afterBlock)).toEqual(
            plan.checkpoints.map((c) => c.afterBlock),
          );
        },
      ),
      { numRuns: Number(process.env.CACHEPOINT_FUZZ_RUNS ?? 200) },
    );
  });

  it("a request without checkpoints of its own is spliced exactly as the general rewrite writes it, sharing what did not change", () => {
    fc.assert(
      fc.property(
        requestArb,
        fc.boolean(),
        fc.constantFrom("auto", "static-prefix", "conversation") as fc.Arbitrary<"auto">,
        (x, withTools, strategy) => {
          const tools = [
            { toolSpec: { name: "t", description: long("tool", 900), inputSchema: { json: {} } } },
          ];
          const input: Record<string, unknown> & typeof x = withTools ? { ...x, toolConfig: { tools } } : x;
          const { request, plan } = prepareConverse(input, { strategy });
          // Without the layout, applyConversePlan cannot know there is nothing to drop: the general rewrite.
          const general = applyConversePlan(input, plan, { rules: resolveModel(x.modelId).rules });
          expect(request).toEqual(general);
          for (const k of ["system", "toolConfig", "messages"] as const)
            expect(request[k] === input[k]).toBe(general[k] === input[k]);
          x.messages.forEach((m, i) => {
            expect(request.messages[i] === m).toBe(general.messages[i] === m);
          });
        },
      ),
      { numRuns: Number(process.env.CACHEPOINT_FUZZ_RUNS ?? 200) },
    );
  });

  it("applyConversePlan on a plan with no checkpoints leaves the request equal", () => {
    const x = { system: [{ text: "a" }], messages: [{ role: "user", content: [{ text: "b" }] }] };
    const plan = { strategy: "auto", checkpoints: [] } as never;
    expect(applyConversePlan(x, plan)).toEqual(x);
  });
});
