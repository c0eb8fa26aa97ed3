import { converseLayout, prepareConverse } from "@cachepoint/converse";
import { isCachepointError, planCheckpoints, resolveModel } from "@cachepoint/core";
import { invokeModelLayout, prepareInvokeModel } from "@cachepoint/invoke-model";
import { decodeFrames, MockBedrock } from "@cachepoint/mock-transport";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const runs = Number(process.env.CACHEPOINT_FUZZ_RUNS ?? 300);
const enc = new TextEncoder();
const models = [
  "us.anthropic.claude-sonnet-4-6",
  "us.amazon.nova-pro-v1:0",
  "anthropic.claude-3-7-sonnet-20250219-v1:0",
  "meta.llama3-70b-instruct-v1:0",
  "us.anthropic.claude-sonet-9",
  "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/x",
  "%%%",
  "",
];
const ops = [
  "converse",
  "converse-stream",
  "invoke",
  "invoke-with-response-stream",
  "count-tokens",
  "explode",
];

const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
const blockArb = fc.oneof(
  fc.record({ text: fc.oneof(fc.string(), fc.constant("w ".repeat(3000))) }),
  fc.record({
    cachePoint: fc.record(
      { type: fc.constantFrom("default", "nope"), ttl: fc.constantFrom(undefined, "5m", "1h", "10m") },
      { requiredKeys: ["type"] },
    ),
  }),
  fc.record({ toolUse: fc.record({ toolUseId: fc.string(), name: fc.string(), input: fc.jsonValue() }) }),
  fc.record({
    toolResult: fc.record({
      toolUseId: fc.string(),
      content: fc.array(
        fc.oneof(
          fc.record({ text: fc.string() }),
          fc.record({ cachePoint: fc.record({ type: fc.constant("default") }) }),
        ),
      ),
    }),
  }),
  fc.record({ reasoningContent: fc.record({ reasoningText: fc.record({ text: fc.string() }) }) }),
  fc.record({
    document: fc.record({
      format: fc.constantFrom("pdf", "txt"),
      name: fc.string(),
      source: fc.record({ text: fc.string() }),
    }),
  }),
  fc.anything(),
);
const converseArb = fc.record(
  {
    system: fc.oneof(fc.array(blockArb, { maxLength: 4 }), fc.anything()),
    messages: fc.oneof(
      fc.array(
        fc.record({
          role: fc.constantFrom("user", "assistant", "robot"),
          content: fc.oneof(fc.array(blockArb, { maxLength: 5 }), fc.anything()),
        }),
        { maxLength: 5 },
      ),
      fc.anything(),
    ),
    toolConfig: fc.oneof(
      fc.record({
        tools: fc.array(
          fc.oneof(
            blockArb,
            fc.record({
              toolSpec: fc.record({ name: fc.string(), inputSchema: fc.record({ json: fc.jsonValue() }) }),
            }),
          ),
        ),
      }),
      fc.anything(),
    ),
  },
  { requiredKeys: [] },
);
const anthropicArb = fc.record(
  {
    anthropic_version: fc.constant("bedrock-2023-05-31"),
    system: fc.oneof(
      fc.string(),
      fc.array(
        fc.record({
          type: fc.constantFrom("text", "image", "weird"),
          text: fc.string(),
          cache_control: fc.option(
            fc.record({ type: fc.constantFrom("ephemeral", "x"), ttl: fc.constantFrom("5m", "1h", "2h") }),
            { nil: undefined },
          ),
        }),
      ),
    ),
    messages: fc.array(
      fc.record({
        role: fc.constantFrom("user", "assistant", 7),
        content: fc.oneof(fc.string(), fc.array(fc.anything())),
      }),
    ),
    cache_control: fc.option(fc.anything(), { nil: undefined }),
  },
  { requiredKeys: ["anthropic_version"] },
);
const bodyArb = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.jsonValue().map((v) => enc.encode(JSON.stringify(v))),
  converseArb.map((v) => enc.encode(JSON.stringify(v))),
  anthropicArb.map((v) => enc.encode(JSON.stringify(v))),
  fc.constant(
    enc.encode(JSON.stringify({ prompt: "Human: hi\n\nAssistant:", cache_control: { type: "default" } })),
  ),
  fc.constantFrom(
    enc.encode(deep(5000)),
    enc.encode(
      `{"messages":[{"role":"user","content":[{"toolUse":{"toolUseId":"a","name":"b","input":${deep(20_000)}}}]}]}`,
    ),
  ),
);
const authArb = fc.constantFrom(
  "AWS4-HMAC-SHA256 Credential=AKIDCACHEPOINTA/20261122/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=" +
    "a".repeat(64),
  "Bearer cachepoint-test-bearer-b",
  "Bearer nope",
  "garbage",
  "",
);
const requestArb = fc.record({
  method: fc.constantFrom("POST", "POST", "POST", "GET", "PUT"),
  model: fc.oneof(fc.constantFrom(...models).map(encodeURIComponent), fc.string({ maxLength: 40 })),
  op: fc.constantFrom(...ops),
  auth: authArb,
  body: bodyArb,
  junkHeaders: fc.dictionary(
    fc.string({ minLength: 1, maxLength: 12 }).map((k) => k.toLowerCase()),
    fc.string({ maxLength: 50 }),
    { maxKeys: 3 },
  ),
});

async function drain(body: Uint8Array | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  const parts: Uint8Array[] = [];
  for await (const p of body) parts.push(p);
  return Buffer.concat(parts);
}

describe("fuzzing the mock: typed 4xx in Bedrock's shape, never a 5xx or a crash", () => {
  it("random methods, paths, headers and bodies (garbage bytes, JSON, Converse, Anthropic, Nova, legacy, deeply nested)", async () => {
    const mock = new MockBedrock({ maxCalls: 10 });
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const res = await mock.handle({
          method: r.method,
          rawPath: `/model/${r.model}/${r.op}`,
          headers: {
            ...r.junkHeaders,
            authorization: r.auth,
            host: "bedrock-runtime.us-east-1.amazonaws.com",
          },
          body: r.body,
        });
        expect(res.status, JSON.stringify(res.headers)).toBeLessThan(500);
        expect(res.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
        const bytes = await drain(res.body);
        if (res.status !== 200) {
          expect(res.headers["x-amzn-errortype"]).toMatch(/Exception$/);
          expect(typeof JSON.parse(new TextDecoder().decode(bytes)).message).toBe("string");
        } else if (res.headers["content-type"] === "application/vnd.amazon.eventstream") {
          expect(decodeFrames(bytes).length).toBeGreaterThan(0);
        } else {
          JSON.parse(new TextDecoder().decode(bytes));
        }
      }),
      { numRuns: runs },
    );
  });

  it("a body over Bedrock's 25,000,000-byte limit is a 400, not a crash", async () => {
    const mock = new MockBedrock();
    const res = await mock.handle({
      method: "POST",
      rawPath: `/model/${encodeURIComponent(models[0]!)}/invoke`,
      headers: { authorization: "Bearer cachepoint-test-bearer-a" },
      body: new Uint8Array(25_000_001),
    });
    expect(res.status).toBe(400);
    expect(res.headers["x-amzn-errortype"]).toBe("ValidationException");
  });
});

describe("fuzzing the readers and planners: a result, a diagnostic, or a CachepointError — nothing else", () => {
  const onlyCachepointErrors = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (!isCachepointError(e)) throw e;
    }
  };
  const frozen = <T>(v: T): T => {
    if (v && typeof v === "object") {
      Object.freeze(v);
      for (const x of Object.values(v)) frozen(x);
    }
    return v;
  };
  it("Converse inputs of any shape", () => {
    fc.assert(
      fc.property(
        fc.oneof(converseArb, fc.anything()),
        fc.constantFrom(...models.slice(0, 5)),
        (input, model) => {
          const copy = structuredClone(input);
          const x = frozen(input);
          onlyCachepointErrors(() => converseLayout(x));
          onlyCachepointErrors(() => prepareConverse(x as never, { model }));
          onlyCachepointErrors(() =>
            prepareConverse(x as never, { model, strategy: "manual", strict: true }),
          );
          expect(x).toEqual(copy);
        },
      ),
      { numRuns: runs },
    );
  });

  it("InvokeModel bodies of any shape, as strings, bytes and objects", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anthropicArb,
          // Long enough to be read message by message.
          anthropicArb.map((v) => ({ metadata: { note: "w ".repeat(5000) }, ...v })),
          converseArb,
          fc.anything(),
        ),
        fc.constantFrom("string", "bytes", "object"),
        fc.constantFrom(...models.slice(0, 5)),
        (v, as, model) => {
          const body =
            as === "string"
              ? (JSON.stringify(v) ?? "null")
              : as === "bytes"
                ? enc.encode(JSON.stringify(v) ?? "null")
                : frozen(v);
          onlyCachepointErrors(() => invokeModelLayout(body));
          onlyCachepointErrors(() => prepareInvokeModel(body, { model }));
        },
      ),
      { numRuns: runs },
    );
  });

  it("deeply nested input is a typed refusal, not a stack overflow", () => {
    const nested = JSON.parse(
      `{"messages":[{"role":"user","content":[{"toolUse":{"toolUseId":"a","name":"b","input":${deep(50_000)}}}]}]}`,
    );
    expect(() => converseLayout(nested)).toThrowError(/more than 500 levels/);
    // The same in a long Anthropic body as text, read message by message.
    const deepBody = `{"anthropic_version":"bedrock-2023-05-31","system":"${"w ".repeat(5000)}","messages":[{"role":"user","content":[{"type":"tool_use","id":"a","name":"b","input":${deep(5_000)}}]}]}`;
    expect(prepareInvokeModel(deepBody, { model: models[0]! }).diagnostics[0]?.message).toMatch(
      /more than 500 levels/,
    );
    expect(prepareConverse(nested, { model: models[0]! }).diagnostics[0]?.code).toBe("malformed-request");
    expect(() => planCheckpoints(null as never, resolveModel(models[0]!))).toThrowError(/blocks/);
  });
});
