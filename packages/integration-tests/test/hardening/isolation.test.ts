import {
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { buildLayout, isCachepointError, resolveModel } from "@cachepoint/core";
import { cachepoint, parseBody } from "@cachepoint/invoke-model";
import { CacheSimulator, createManualClock, createMockClient, MockBedrock } from "@cachepoint/mock-transport";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const runs = Number(process.env.CACHEPOINT_FUZZ_RUNS ?? 300);
const model = resolveModel("us.anthropic.claude-sonnet-4-6");
const tenants = [
  "111111111111|us-east-1",
  "111111111111|eu-west-1",
  "222222222222|us-east-1",
  "333333333333|ap-southeast-2",
];

describe("isolation: no account or Region ever reads another's entries", () => {
  it("a random interleaving gives every request exactly what its tenant alone would get", () => {
    const stepArb = fc.record({
      tenant: fc.constantFrom(...tenants),
      prefix: fc.constantFrom("shared-policy", "policy-b", "policy-c"),
      question: fc.constantFrom("q1", "q2", "q3"),
      gapMs: fc.constantFrom(0, 1000, 240_000, 400_000),
    });
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 60 }), (steps) => {
        const layoutOf = (s: (typeof steps)[number]) => {
          const l = buildLayout({
            system: [{ text: s.prefix, tokens: 2000 }],
            messages: [{ role: "user", content: [{ text: s.question, tokens: 1500 }] }],
          });
          return {
            ...l,
            checkpoints: [
              { afterBlock: 0, ttl: undefined, path: "system/0", section: "system" as const },
              { afterBlock: 1, ttl: undefined, path: "m", section: "messages" as const },
            ],
          };
        };
        const send = (sim: CacheSimulator, s: (typeof steps)[number]) => {
          const [accountId, region] = s.tenant.split("|") as [string, string];
          const r = sim.simulate({
            accountId,
            region,
            modelId: model.id,
            rules: model.rules,
            layout: layoutOf(s),
          });
          r.commit();
          return r.usage;
        };
        // All tenants through one simulator…
        const clock = createManualClock(0);
        const together = new CacheSimulator({ clock });
        const shared = steps.map((s) => {
          clock.advance(s.gapMs);
          return send(together, s);
        });
        // …and each tenant alone, on the same timeline.
        for (const tenant of tenants) {
          const c = createManualClock(0);
          const alone = new CacheSimulator({ clock: c });
          steps.forEach((s, i) => {
            c.advance(s.gapMs);
            if (s.tenant !== tenant) return;
            expect(send(alone, s), `step ${i}`).toEqual(shared[i]);
          });
        }
      }),
      { numRuns: runs },
    );
  });

  it("through the real SDK: two accounts with identical prompts never read each other's entries", async () => {
    const mock = new MockBedrock();
    const [a, b] = [
      createMockClient(mock, { account: mock.accounts[0]! }),
      createMockClient(mock, { account: mock.accounts[1]! }),
    ];
    const input = {
      modelId: "us.anthropic.claude-sonnet-4-6",
      system: [{ text: "Same prompt. ".repeat(900) }, { cachePoint: { type: "default" as const } }],
      messages: [{ role: "user" as const, content: [{ text: "hi" }] }],
    };
    for (let i = 0; i < 5; i++) {
      const first = await (i % 2 ? b : a).send(new ConverseCommand(input));
      if (i < 2) expect(first.usage?.cacheReadInputTokens, `call ${i}`).toBe(0);
    }
    expect(new Set(mock.cache().map((e) => e.accountId))).toEqual(new Set(["111111111111", "222222222222"]));
  });
});

describe("nothing lost", () => {
  async function events(withPlugin: boolean) {
    const mock = new MockBedrock({ seed: 7 });
    const client = createMockClient(mock);
    // manual: the request goes out as given, so any difference could only come from how the stream is handled.
    if (withPlugin) client.middlewareStack.use(cachepoint({ strategy: "manual", onReport: () => {} }));
    const out: unknown[] = [];
    const s = await client.send(
      new ConverseStreamCommand({
        modelId: "us.anthropic.claude-sonnet-4-6",
        system: [{ text: "policy ".repeat(2000) }, { cachePoint: { type: "default" } }],
        messages: [{ role: "user", content: [{ text: "hi" }] }],
      }),
    );
    for await (const e of s.stream!) out.push(e);
    const body = JSON.stringify({
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 50,
      system: [{ type: "text", text: "policy ".repeat(2000), cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: "hi" }],
    });
    const inv = await client.send(
      new InvokeModelWithResponseStreamCommand({ modelId: "us.anthropic.claude-sonnet-4-6", body }),
    );
    for await (const e of inv.body!) out.push(e.chunk ? new TextDecoder().decode(e.chunk.bytes) : e);
    return out;
  }

  it("the plugin never consumes, reorders or truncates a response stream", async () => {
    const bare = await events(false);
    const planned = await events(true);
    expect(planned).toEqual(bare);
    expect(bare.length).toBeGreaterThan(10);
  });

  it("errors keep their cause", () => {
    try {
      parseBody("{ not json");
      expect.unreachable();
    } catch (e) {
      expect(isCachepointError(e)).toBe(true);
      expect((e as Error).cause).toBeInstanceOf(SyntaxError);
    }
  });
});
