import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { effectivePrices } from "../pricing.js";
import { resolveModel } from "../resolveModel.js";
import { type HedgeSituation, hedgeByLookahead } from "./hedgeLookahead.js";
import { runThreshold } from "./turnSchedule.js";

const prices = effectivePrices(resolveModel("us.anthropic.claude-sonnet-4-6"));
const premium = prices.cacheWrite["1h"] - prices.cacheWrite["5m"];
const chat: HedgeSituation = {
  run: 1000,
  written: 300,
  user: 200,
  meanAnswer: 300,
  meanUser: 200,
  lateShare: 0.2,
  continuation: 1,
  turnsLeft: Number.POSITIVE_INFINITY,
};

describe("hedgeByLookahead: whether a 1h read point on the previous answer pays over the turns to come", () => {
  it("with one turn left, it pays exactly when the premium now is less than that turn's expected loss", () => {
    // The last turn, if late, sends what it finds unprotected (the run and the newest question) uncached instead
    // of reading it; nothing after it needs the read point.
    const lossPerToken = 0.2 * (prices.input - prices.cacheRead);
    // The newest question is at risk either way; the read point protects the run.
    const breakEven = (premium * 300) / lossPerToken; // the run at which premium = expected loss
    expect(hedgeByLookahead({ ...chat, turnsLeft: 1, run: breakEven * 0.98 }, prices)).toBe(false);
    expect(hedgeByLookahead({ ...chat, turnsLeft: 1, run: breakEven * 1.02 }, prices)).toBe(true);
  });

  it("open-ended, it pays from a run near the steady-state threshold; with one turn left, only from a much longer one", () => {
    const shortest = (turnsLeft: number) => {
      let run = 0;
      while (run < 50_000 && !hedgeByLookahead({ ...chat, run, turnsLeft }, prices)) run += 25;
      return run;
    };
    const steady = runThreshold(premium * 300, 500, 0.2 * (prices.cacheWrite["5m"] - prices.cacheRead));
    const open = shortest(Number.POSITIVE_INFINITY);
    // Somewhat sooner than the steady state: a read point also serves every late turn until the next one.
    expect(open).toBeGreaterThan(0.7 * steady);
    expect(open).toBeLessThanOrEqual(steady);
    expect(shortest(8)).toBe(open); // eight turns ahead weigh as much as an open end here
    expect(shortest(1)).toBeGreaterThan(1.5 * open);
  });

  it("never pays when no turn comes back late, no turn comes at all, or none is left", () => {
    const big = { ...chat, run: 100_000 };
    expect(hedgeByLookahead({ ...big, lateShare: 0 }, prices)).toBe(false);
    expect(hedgeByLookahead({ ...big, continuation: 0 }, prices)).toBe(false);
    expect(hedgeByLookahead({ ...big, turnsLeft: 0 }, prices)).toBe(false);
  });

  it("a turn that rewrites what it found expired pays the premium on all of it, so it waits where an on-time turn would not", () => {
    const onTime = { ...chat, run: 1500 };
    expect(hedgeByLookahead(onTime, prices)).toBe(true);
    expect(hedgeByLookahead({ ...onTime, written: 1500 }, prices)).toBe(false);
  });

  it("more late turns, more read points: the run at which one pays shrinks as the late share grows", () => {
    const pays = (lateShare: number) => hedgeByLookahead({ ...chat, run: 700, lateShare }, prices);
    expect([0.05, 0.2, 0.6].map(pays)).toEqual([false, true, true]);
  });
});

describe("hedgeByLookahead agrees with the process it models, written out as plain recursion", () => {
  /** Expected cost from turn k on with y tokens at risk, choosing the cheaper option at every turn. */
  const cost = (
    s: HedgeSituation,
    steps: number,
    k: number,
    y: number,
    memo = new Map<string, number>(),
  ): number => {
    const key = `${k}|${y}`;
    const seen = memo.get(key);
    if (seen !== undefined) return seen;
    const rewrite = prices.cacheWrite["5m"] - prices.cacheRead;
    const finalTurn = k === s.turnsLeft;
    const loss = (finalTurn ? prices.input - prices.cacheRead : rewrite) * y;
    const next = (late: boolean) => {
      if (k >= steps) return 0;
      const grow = s.continuation * cost(s, steps, k + 1, y + s.meanAnswer + s.meanUser, memo);
      const place =
        premium * (s.meanAnswer + (late ? y : 0)) + s.continuation * cost(s, steps, k + 1, s.meanUser, memo);
      return Math.min(grow, place);
    };
    const v = s.lateShare * (loss + next(true)) + (1 - s.lateShare) * next(false);
    memo.set(key, v);
    return v;
  };

  it("on random conversations, it places the read point exactly when the recursion says it is cheaper", () => {
    fc.assert(
      fc.property(
        fc.record({
          run: fc.integer({ min: 0, max: 20_000 }),
          written: fc.integer({ min: 1, max: 5_000 }),
          user: fc.integer({ min: 1, max: 2_000 }),
          meanAnswer: fc.integer({ min: 1, max: 2_000 }),
          meanUser: fc.integer({ min: 1, max: 2_000 }),
          lateShare: fc.double({ min: 0.01, max: 0.9, noNaN: true }),
          continuation: fc.double({ min: 0.05, max: 1, noNaN: true }),
          // Up to the 12 turns it looks ahead, and no limit at all (where it stops at 12, none of them the last).
          turnsLeft: fc.oneof(fc.integer({ min: 1, max: 14 }), fc.constant(Number.POSITIVE_INFINITY)),
        }),
        (s) => {
          const steps = Math.min(12, s.turnsLeft);
          const hedged = premium * s.written + s.continuation * cost(s, steps, 1, s.user);
          const not = s.continuation * cost(s, steps, 1, s.run + s.user);
          // Near-ties may go either way in floating point.
          fc.pre(Math.abs(hedged - not) > 1e-9 * Math.max(hedged, not));
          expect(hedgeByLookahead(s, prices)).toBe(hedged < not);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("hedgeByLookahead's shortcut", () => {
  it("answers without the programme where a read point cannot pay even if it saved every rewrite, and agrees with it", () => {
    // An agent loop whose steps come seconds apart: almost no turn is late, whatever the run.
    expect(hedgeByLookahead({ ...chat, run: 50_000, lateShare: 1e-11 }, prices)).toBe(false);
    // Where the shortcut applies, the recursion gives the same answer (the property test above draws runs from 0,
    // where it applies, to 20,000, where it does not).
    const small = { ...chat, run: 40 };
    expect(premium * small.written).toBeGreaterThanOrEqual(
      small.run * 0.2 * (prices.cacheWrite["5m"] - prices.cacheRead + premium) * 12,
    );
    expect(hedgeByLookahead(small, prices)).toBe(false);
  });
});
