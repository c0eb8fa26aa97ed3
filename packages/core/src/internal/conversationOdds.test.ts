import { describe, expect, it } from "vitest";
import { conversationOdds, hintedTurnWithin } from "./conversationOdds.js";

// 87% of conversations go on; think times exponential with a 2.5-minute mean: 86.5% within five minutes.
const hints = { nextTurnProbability: 0.87, turnIntervalMs: 150_000 };
const hintedOnTime = 1 - Math.exp(-2);

describe("conversationOdds", () => {
  it("uses the hints alone until something is observed, and the observations alone without hints", () => {
    expect(conversationOdds(hints)!.continuation).toBe(0.87);
    expect(conversationOdds(hints)!.hitRate["5m"]).toBeCloseTo(hintedOnTime, 10);
    expect(conversationOdds({})).toBeUndefined();
    const seen = { hitRate: { "5m": 0.7, "1h": 0.95 }, continuation: 0.9, samples: 3, lateSamples: 0 };
    expect(conversationOdds({}, seen)).toEqual({ continuation: 0.9, hitRate: seen.hitRate });
  });

  it("does not take a young workload's 'no late turn yet' for 'no late turns': the hinted late share holds", () => {
    // Many tails seen within five minutes, none watched long enough for a late turn to show.
    const young = { hitRate: { "5m": 1, "1h": 1 }, continuation: 0.75, samples: 1000, lateSamples: 0 };
    const odds = conversationOdds(hints, young)!;
    // The share that goes on within five minutes is the observed one (0.75)...
    expect(odds.continuation * odds.hitRate["5m"]).toBeCloseTo(
      (1000 * 0.75 + 8 * 0.87 * hintedOnTime) / 1008,
      10,
    );
    // ...and about half of the rest comes back later, as the hints say (not none, as the young data says).
    expect(odds.hitRate["5m"]).toBeLessThan(0.9);
    expect(odds.continuation).toBeGreaterThan(0.85);
  });

  it("at the last turn hints.maxTurns allows, no next turn, whatever was observed", () => {
    const watched = { hitRate: { "5m": 0.9, "1h": 1 }, continuation: 1, samples: 1000, lateSamples: 1000 };
    const limited = { ...hints, maxTurns: 8 };
    expect(conversationOdds(limited, watched, 8)!.continuation).toBe(0);
    expect(conversationOdds(limited, undefined, 9)!.continuation).toBe(0);
    expect(conversationOdds(limited, watched, 7)!.continuation).toBeCloseTo(1, 2);
    expect(conversationOdds(limited, undefined, 7)!.continuation).toBe(0.87);
  });

  it("follows the observations once late turns have been watched", () => {
    const watched = { hitRate: { "5m": 0.75, "1h": 1 }, continuation: 0.8, samples: 1000, lateSamples: 1000 };
    const odds = conversationOdds(hints, watched)!;
    expect(odds.continuation).toBeCloseTo(0.8, 2);
    expect(odds.hitRate["5m"]).toBeCloseTo(0.75, 2);
    expect(odds.hitRate["1h"]).toBeCloseTo(1, 2);
  });

  it("lateTurnShare fixes the share of next turns past five minutes; the mean spreads them past that", () => {
    const stated = { ...hints, lateTurnShare: 0.2 };
    expect(conversationOdds(stated)!.hitRate["5m"]).toBeCloseTo(0.8, 10);
    // Past five minutes, memoryless: of the 20% late, e^(−55 min / 2.5 min) are still out at the hour.
    expect(hintedTurnWithin(stated, 3_600_000)).toBeCloseTo(1 - 0.2 * Math.exp(-22), 12);
    expect(hintedTurnWithin(stated, 1_800_000)).toBeCloseTo(1 - 0.2 * Math.exp(-10), 12);
    // Without a mean the late turns all come back within the next longer TTL.
    const noMean = { nextTurnProbability: 0.9, lateTurnShare: 0.3 };
    expect(hintedTurnWithin(noMean, 300_000)).toBeCloseTo(0.7, 12);
    expect(hintedTurnWithin(noMean, 3_600_000)).toBe(1);
    // Without the share, the exponential alone, as before.
    expect(hintedTurnWithin(hints, 300_000)).toBeCloseTo(hintedOnTime, 12);
  });
});
