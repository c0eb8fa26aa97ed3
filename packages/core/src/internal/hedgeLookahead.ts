import type { EffectivePrices } from "../pricing.js";

/** What the planner knows at a conversation's newest turn when it decides on a 1h read point. @internal */
export interface HedgeSituation {
  /** Tokens since the deepest live 1h entry, up to the previous answer: what a late next turn would rewrite. */
  readonly run: number;
  /** Tokens this request writes up to the previous answer (the answer, plus what a late turn rewrites). */
  readonly written: number;
  /** Tokens of the newest user message, after the previous answer. */
  readonly user: number;
  /** Mean tokens of the conversation's answers and user messages: the turns to come. */
  readonly meanAnswer: number;
  readonly meanUser: number;
  /** P(a next turn comes after the 5m tail expired | it comes). */
  readonly lateShare: number;
  /** P(the conversation goes on), per turn. */
  readonly continuation: number;
  /** Turns the application still allows after this one (Infinity when it sets no limit). */
  readonly turnsLeft: number;
}

/** Turns looked ahead: with geometric continuation, what lies further weighs continuation^12 or less. */
const horizon = 12;
/** The programme's table, reused from call to call (the planner is synchronous). */
const table = new Float64Array((horizon + 2) * (horizon + 2));

/**
 * Whether a 1h read point on the previous answer pays, by dynamic programming over the turns to come instead of a
 * steady-state rule. At each later turn the next one comes with the continuation, late with the late share; a late
 * turn rewrites what it finds unprotected (since the last 1h read point, up to its own previous user message) at
 * the 5m write rate where it could have read it, or sends it uncached on the application's last turn; and at each
 * turn the read point may be placed again (on what a late turn rewrites too, at the 1h rate). What the steady-state
 * threshold misses, this sees: the turns left, a read point serving every late turn until the next one, and a late
 * turn's rewrite leaving the run as long as it was.
 * @internal
 */
export function hedgeByLookahead(s: HedgeSituation, prices: EffectivePrices): boolean {
  const premium = prices.cacheWrite["1h"] - prices.cacheWrite["5m"];
  const rewrite = prices.cacheWrite["5m"] - prices.cacheRead;
  const lastRewrite = prices.input - prices.cacheRead;
  const a = s.meanAnswer;
  const u = s.meanUser;
  const q = Math.min(1, Math.max(0, s.lateShare));
  const c = Math.min(1, Math.max(0, s.continuation));
  const steps = Math.min(horizon, Math.floor(s.turnsLeft));
  if (!(premium > 0) || steps <= 0 || q === 0 || c === 0) return false;
  // W(k, from): expected cost from turn k on (1 ≤ k ≤ steps), with what a late turn k would rewrite decided by where
  // the last read point went: `from` = the turn it was placed at (0 = now), or -1 for none since now. Filled from the
  // last turn back, each row from the next one: (steps + 1)² entries, no recursion.
  const width = steps + 2;
  const W = table; // steps ≤ horizon: it always fits. Row k, column from + 1.
  const s1 = a + u;
  // On the application's last turn, a late request sends what it finds unprotected uncached (no tail is written).
  const lastLoss = q * (Number.isFinite(s.turnsLeft) && steps === s.turnsLeft ? lastRewrite : rewrite);
  const loss = q * rewrite;
  const onTime = 1 - q;
  const hedgeOnTime = premium * a;
  const base = s.run + s.user;
  for (let k = steps; k >= 1; k--) {
    const row = k * width;
    const next = row + width;
    // What a read point placed at turn k leads to: the same for every `from`.
    const placed = k < steps ? c * W[next + k + 1]! : 0;
    for (let from = -1; from < k; from++) {
      const y = from < 0 ? base + (k - 1) * s1 : (from === 0 ? s.user : u) + (k - 1 - from) * s1;
      if (k === steps) {
        W[row + from + 1] = lastLoss * y;
        continue;
      }
      const go = c * W[next + from + 1]!; // no read point: the run grows by the turn
      const onTimeCost = hedgeOnTime + placed;
      // A late turn's read point covers what it rewrites too, at the 1h rate.
      const lateCost = onTimeCost + premium * y;
      W[row + from + 1] =
        loss * y + onTime * (go < onTimeCost ? go : onTimeCost) + q * (go < lateCost ? go : lateCost);
    }
  }
  const hedged = premium * s.written + c * W[width + 1]!;
  const not = c * W[width]!;
  return hedged < not;
}
