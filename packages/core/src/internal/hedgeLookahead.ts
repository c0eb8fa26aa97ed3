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
  // Placing the read point now saves at most the run's rewrite (and a late turn's 1h premium on it) at each turn
  // until the next read point: when even that cannot pay its premium, no programme is needed (an agent whose steps
  // come seconds apart has a late share of 1e-11).
  // Expected turns ahead, bounded without a power (Math.pow costs more than the rest of this check).
  const turnsAhead = c < 1 ? Math.min(steps, c / (1 - c)) : steps;
  if (premium * s.written >= s.run * q * (Math.max(rewrite, lastRewrite) + premium) * turnsAhead)
    return false;
  // W[k][col]: expected cost from turn k on (1 ≤ k ≤ steps), given where the last read point went, which decides
  // what a late turn k rewrites: col 0 for none since now, 1 for one placed now, 1 + f for one placed at turn f.
  // Filled from the last turn back, each row from the next one: no recursion, (steps + 1)² entries at most.
  const width = steps + 2;
  const W = table; // steps ≤ horizon: it always fits
  const s1 = a + u;
  const loss = q * rewrite;
  // On the application's last turn, a late request sends what it finds unprotected uncached (no tail is written).
  const lastLoss = q * (Number.isFinite(s.turnsLeft) && steps === s.turnsLeft ? lastRewrite : rewrite);
  const onTime = 1 - q;
  const hedgeOnTime = premium * a;
  const base = s.run + s.user;
  let row = steps * width;
  W[row] = lastLoss * (base + (steps - 1) * s1);
  W[row + 1] = lastLoss * (s.user + (steps - 1) * s1);
  for (let f = 1; f < steps; f++) W[row + 1 + f] = lastLoss * (u + (steps - 1 - f) * s1);
  for (let k = steps - 1; k >= 1; k--) {
    const next = row;
    row -= width;
    // A read point placed at turn k leads to the same turn k + 1 whatever came before.
    const onTimeCost = hedgeOnTime + c * W[next + 1 + k]!;
    for (let col = 0; col <= k; col++) {
      const y = col === 0 ? base + (k - 1) * s1 : col === 1 ? s.user + (k - 1) * s1 : u + (k - col) * s1;
      const go = c * W[next + col]!; // no read point: the run grows by the turn
      // A late turn's read point covers what it rewrites too, at the 1h rate.
      const lateCost = onTimeCost + premium * y;
      W[row + col] =
        loss * y + onTime * (go < onTimeCost ? go : onTimeCost) + q * (go < lateCost ? go : lateCost);
    }
  }
  const hedged = premium * s.written + c * W[width + 1]!;
  const not = c * W[width]!;
  return hedged < not;
}
