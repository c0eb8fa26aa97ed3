import { buildLayout, type PromptLayout, resolveModel, type Ttl } from "@cachepoint/core";
import { CacheSimulator, createManualClock } from "@cachepoint/mock-transport";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ReferenceCache } from "./ReferenceCache.js";

const runs = Number(process.env.CACHEPOINT_FUZZ_RUNS ?? 300);
const models = [
  resolveModel("us.anthropic.claude-sonnet-4-6"),
  resolveModel("us.amazon.nova-pro-v1:0"),
  resolveModel("us.anthropic.claude-haiku-4-5-20251001-v1:0"),
];

// Blocks from a small alphabet, so prefixes collide; sizes that hit the minimums exactly (1,024, 4,096) now and then.
const blockArb = fc.record({
  id: fc.constantFrom("a", "b", "c", "d"),
  tokens: fc.constantFrom(0, 1, 256, 512, 1024, 1536, 4096, 20_000),
});
const ttlArb = fc.constantFrom<Ttl | undefined>(undefined, "5m", "1h");
const requestArb = fc
  .record({
    blocks: fc.array(blockArb, { minLength: 1, maxLength: 30 }),
    points: fc.array(fc.record({ at: fc.nat(), ttl: ttlArb }), { maxLength: 4 }),
    account: fc.constantFrom("111111111111", "222222222222"),
    region: fc.constantFrom("us-east-1", "eu-west-1"),
    model: fc.constantFrom(0, 1, 2),
    commit: fc.constantFrom("now", "now", "now", "later"),
  })
  .map((r) => {
    const layout = buildLayout({
      messages: [{ role: "user", content: r.blocks.map((b) => ({ text: b.id, tokens: b.tokens })) }],
    });
    const model = models[r.model]!;
    // Valid requests only: distinct positions, TTLs non-increasing, none the model lacks.
    const at = [...new Set(r.points.map((p) => p.at % r.blocks.length))].sort((x, y) => x - y);
    let floor = 2;
    const checkpoints = at.map((i, k) => {
      let ttl = r.points[k]?.ttl;
      if (ttl === "1h" && (!model.rules.ttls.includes("1h") || floor < 2)) ttl = "5m";
      if (ttl !== "1h") floor = 1;
      return { afterBlock: i, ttl, path: layout.blocks[i]!.path, section: "messages" as const };
    });
    return { ...r, layout: { ...layout, checkpoints } as PromptLayout, model };
  });
const stepArb = fc.oneof(
  { weight: 6, arbitrary: requestArb.map((r) => ({ kind: "send" as const, ...r })) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(0, 1, 60_000, 299_999, 300_000, 300_001, 3_599_999, 3_600_000)
      .map((ms) => ({ kind: "advance" as const, ms })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "commit" as const }) },
);

describe("CacheSimulator agrees with a reference model on every counter", () => {
  for (const maxEntries of [1000, 3]) {
    it(`random sequences of requests, clock advances, TTLs, accounts and Regions (cap ${maxEntries})`, () => {
      fc.assert(
        fc.property(fc.array(stepArb, { minLength: 1, maxLength: 40 }), (steps) => {
          const clock = createManualClock(0);
          const fast = new CacheSimulator({ clock, maxEntries });
          const ref = new ReferenceCache(maxEntries);
          const pending: (() => void)[] = [];
          for (const s of steps) {
            if (s.kind === "advance") clock.advance(s.ms);
            else if (s.kind === "commit") {
              for (const c of pending.splice(0)) c();
            } else {
              const m = s.model;
              const a = fast.simulate({
                accountId: s.account,
                region: s.region,
                modelId: m.id,
                rules: m.rules,
                layout: s.layout,
              });
              const b = ref.send(`${s.account}|${s.region}|${m.id}`, s.layout, m.rules, clock.now());
              expect(a.usage).toEqual(b.usage);
              if (s.commit === "now") {
                a.commit();
                b.commit();
              } else pending.push(a.commit, b.commit);
            }
          }
          expect(fast.size).toBe(ref.entries.length);
        }),
        { numRuns: runs },
      );
    });
  }

  it("the edges, spelled out: expiry exactly at the TTL, refresh on hit, the 20th block back, the minimum exactly", () => {
    const m = models[0]!;
    const clock = createManualClock(0);
    const fast = new CacheSimulator({ clock });
    const ref = new ReferenceCache(1000);
    const send = (ids: string[], cpAt: number, ttl?: Ttl) => {
      const l = buildLayout({
        messages: [
          { role: "user", content: ids.map((id) => ({ text: id, tokens: id === "big" ? 1024 : 10 })) },
        ],
      });
      const layout = {
        ...l,
        checkpoints: [{ afterBlock: cpAt, ttl, path: "x", section: "messages" as const }],
      };
      const a = fast.simulate({ accountId: "1", region: "r", modelId: m.id, rules: m.rules, layout });
      const b = ref.send(`1|r|${m.id}`, layout, m.rules, clock.now());
      a.commit();
      b.commit();
      expect(a.usage).toEqual(b.usage);
      return a.usage;
    };
    expect(send(["big"], 0).cacheWriteInputTokens).toBe(1024); // the minimum exactly reached
    clock.advance(299_999);
    expect(send(["big"], 0).cacheReadInputTokens).toBe(1024); // a hit refreshes
    clock.advance(299_999);
    expect(send(["big"], 0).cacheReadInputTokens).toBe(1024);
    clock.advance(300_000);
    expect(send(["big"], 0).cacheReadInputTokens).toBe(0); // expired exactly at the TTL
    const tail = (n: number) => ["big", ...Array.from({ length: n }, (_, i) => `x${i}`)];
    expect(send(tail(19), 19).cacheReadInputTokens).toBe(1024); // the entry 19 blocks back is in the window
    expect(send(["big", "y", ...tail(19).slice(1)], 20).cacheReadInputTokens).toBe(0); // 20 back is not
  });
});
