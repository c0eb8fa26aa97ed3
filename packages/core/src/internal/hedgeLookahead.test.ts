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
