import { describe, expect, it } from "vitest";
import { lowerBound } from "./savings/lowerBound.js";
import { modelOf, replay } from "./savings/replay.js";
import { agentLoops, documentQa, multiTurnChat, oneHourWins, sparseTraffic } from "./savings/workloads.js";
import { strategiesFor } from "./suites/savings.js";

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
      for (const s of strategiesFor(w)) {
        const r = replay(w.requests, s);
        expect(r.costUsd, s.name).toBeGreaterThanOrEqual(lb * (1 - 1e-9));
      }
    });
  }

  it("is exact for a single prefix read four times within five minutes: one 5m write, then reads", () => {
    const w = sparseTraffic(1, 5);
    const close = w.requests.map((r, i) => ({ ...r, at: i * 60_000, layout: w.requests[0]!.layout }));
    const lb = lowerBound(close, modelOf);
    const best = replay(close, strategiesFor(w).find((s) => s.name === "system + last message")!);
    expect(best.costUsd).toBeCloseTo(lb, 9);
  });
});
