import { describe, expect, it } from "vitest";
import { hindsightReference } from "./savings/conversationReference.js";
import { lowerBound } from "./savings/lowerBound.js";
import { modelOf, replay } from "./savings/replay.js";
import type { Strategy } from "./savings/strategies.js";
import { agentLoops, documentQa, multiTurnChat, oneHourWins, sparseTraffic } from "./savings/workloads.js";
import { strategiesFor } from "./suites/savings.js";

/** The same placements with every checkpoint at 1h: deeper 1h writes are how a read block gains 1h coverage. */
const withHour = (s: Strategy): Strategy => ({
  name: `${s.name} (1h)`,
  kind: s.kind,
  place: (layout, model, at) =>
    s.place(layout, model, at).map((c) => ({ ...c, ttl: model.rules.ttls.includes("1h") ? "1h" : c.ttl })),
});

/** Seeded random placements: up to four blocks, TTLs non-increasing in order (1h before 5m), as Bedrock allows. */
function randomStrategy(seed: number): Strategy {
  let a = seed;
  const next = () => {
    a = (a * 1103515245 + 12345) & 0x7fffffff;
    return a / 0x7fffffff;
  };
  return {
    name: `random ${seed}`,
    kind: "peer",
    place(layout, model) {
      const n = layout.blocks.length;
      const picks = [
        ...new Set(Array.from({ length: 1 + Math.floor(next() * 4) }, () => Math.floor(next() * n))),
      ]
        .filter((i) => model.rules.cacheableSections.has(layout.blocks[i]!.section))
        .sort((x, y) => x - y);
      const hourUpTo = Math.floor(next() * (picks.length + 1));
      return picks.map((i, k) => ({
        afterBlock: i,
        ttl: k < hourUpTo && model.rules.ttls.includes("1h") ? ("1h" as const) : ("5m" as const),
        path: layout.blocks[i]!.path,
        section: layout.blocks[i]!.section,
      }));
    },
  };
}

// Small versions of every workload: the hindsight bound must never exceed what any strategy actually paid.
const workloads = [
  multiTurnChat(21, 6, 5),
  documentQa(22, 2, 2, 4),
  agentLoops(23, 2),
  sparseTraffic(24, 12),
  oneHourWins(25, 12),
];

describe("the hindsight lower bound", () => {
  for (const w of workloads) {
    it(`${w.name}: no strategy costs less than the bound`, () => {
      const lb = lowerBound(w.requests, modelOf);
      const peers = strategiesFor(w).filter((s) => s.kind === "peer");
      const all = [...strategiesFor(w), ...peers.map(withHour), ...[1, 2, 3, 4, 5, 6].map(randomStrategy)];
      for (const s of all) {
        const r = replay(w.requests, s);
        expect(r.costUsd, s.name).toBeGreaterThanOrEqual(lb * (1 - 1e-9));
      }
    });
  }

  it("a conversation planned with hindsight comes within 1% of the bound, and not below it", () => {
    // The strategy closest to the bound: the reference's programme told every think time in advance. Were the bound
    // too high, this is where it would show; were it loose, the gap would.
    const w = multiTurnChat(1); // the bench's own chat: 40 users sharing the system prompt, 8 turns each
    const lb = lowerBound(w.requests, modelOf);
    const cost = replay(w.requests, hindsightReference("hindsight", w.requests)).costUsd;
    expect(cost).toBeGreaterThanOrEqual(lb * (1 - 1e-9));
    expect(cost).toBeLessThan(lb * 1.01);
    for (const seed of [2, 3, 4]) {
      const small = multiTurnChat(seed, 8, 5);
      const bound = lowerBound(small.requests, modelOf);
      const paid = replay(small.requests, hindsightReference("hindsight", small.requests)).costUsd;
      expect(paid).toBeGreaterThanOrEqual(bound * (1 - 1e-9));
    }
  });

  it("is exact for a single prefix read four times within five minutes: one 5m write, then reads", () => {
    const w = sparseTraffic(1, 5);
    const close = w.requests.map((r, i) => ({ ...r, at: i * 60_000, layout: w.requests[0]!.layout }));
    const lb = lowerBound(close, modelOf);
    const best = replay(close, strategiesFor(w).find((s) => s.name === "system + last message")!);
    expect(best.costUsd).toBeCloseTo(lb, 9);
  });
});
