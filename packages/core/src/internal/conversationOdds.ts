import type { ObservedReuse } from "../CacheAdvisor.js";
import { ttlMs } from "../ModelRules.js";
import type { TrafficHints } from "../TrafficHints.js";

/** What the planner expects of a conversation's next turn. @internal */
export interface ConversationOdds {
  /** P(the conversation goes on). */
  readonly continuation: number;
  /** P(the next turn comes within the TTL | it comes). */
  readonly hitRate: Readonly<Record<"5m" | "1h", number>>;
}

/** Weight, in observed returns (tails, for conversations), of what the hints say when the advisor has observations too. */
export const hintWeight = 8;

function hinted(hints: TrafficHints): ConversationOdds | undefined {
  const q = hints.nextTurnProbability;
  if (q === undefined) return undefined;
  return {
    continuation: q,
    hitRate: { "5m": hintedTurnWithin(hints, ttlMs("5m")), "1h": hintedTurnWithin(hints, ttlMs("1h")) },
  };
}

/**
 * P(the next turn comes within `ttl` ms | it comes), from the hints: exponential think times with mean
 * `turnIntervalMs` (all within any TTL when no mean is given), except that `lateTurnShare`, when given, fixes the
 * share past five minutes; past that the exponential's memorylessness spreads the late turns (without a mean,
 * they all come back within the next longer TTL).
 * @internal
 */
export function hintedTurnWithin(hints: TrafficHints, ttl: number): number {
  const mu = hints.turnIntervalMs;
  // P(think time > t); without a mean, every turn (late ones included) comes back within any longer TTL.
  const beyond = (t: number) => (mu === undefined || mu <= 0 ? (t > 0 ? 0 : 1) : Math.exp(-t / mu));
  const late = hints.lateTurnShare;
  if (late === undefined) return 1 - beyond(ttl);
  const fiveMinutes = ttlMs("5m");
  if (ttl >= fiveMinutes) return 1 - late * beyond(ttl - fiveMinutes);
  // Shorter than five minutes: the on-time share spread as the exponential spreads it before five minutes.
  const before = 1 - beyond(fiveMinutes);
  return before > 0 ? ((1 - late) * (1 - beyond(ttl))) / before : 1 - late;
}

/** The odds at the last turn `maxTurns` allows. @internal */
export const lastTurnOdds: ConversationOdds = Object.freeze({
  continuation: 0,
  hitRate: Object.freeze({ "5m": 0, "1h": 0 }),
});

const blend = (observed: number, samples: number, prior: number) =>
  (samples * observed + hintWeight * prior) / (samples + hintWeight);

/**
 * The hints and the advisor's observations of a conversation workload, combined piece by piece. A next turn
 * comes within five minutes (a), or later within the hour (b, among the turns still missing at five minutes),
 * or after that (c). The advisor knows a as soon as its tails are five minutes old, but b only as the hour goes
 * by: a late turn is invisible until it comes. So each piece is shrunk toward the hints by its own evidence
 * (`samples` for a, `lateSamples` for b and c), where one weight for all would take a young workload's
 * "no late turn yet" for "no late turns".
 */
export function conversationOdds(
  hints: TrafficHints,
  seen?: ObservedReuse,
  turn?: number,
): ConversationOdds | undefined {
  // A limit the application enforces is a fact, not odds: no observation outweighs it.
  if (turn !== undefined && hints.maxTurns !== undefined && turn >= hints.maxTurns) return lastTurnOdds;
  const prior = hinted(hints);
  const q = seen?.continuation;
  if (seen === undefined || q === undefined) return prior;
  if (prior === undefined) return { continuation: q, hitRate: seen.hitRate };
  const pieces = (o: ConversationOdds) => {
    const a = o.continuation * o.hitRate["5m"];
    const hour = o.continuation * o.hitRate["1h"];
    return { a, b: a < 1 ? (hour - a) / (1 - a) : 0, c: o.continuation - hour };
  };
  const seenPieces = pieces({ continuation: q, hitRate: seen.hitRate });
  const priorPieces = pieces(prior);
  const late = seen.lateSamples ?? seen.samples;
  const a = blend(seenPieces.a, seen.samples, priorPieces.a);
  const b = blend(seenPieces.b, late, priorPieces.b);
  const c = blend(seenPieces.c, late, priorPieces.c);
  const hour = a + (1 - a) * b;
  const continuation = Math.min(1, hour + c);
  return continuation > 0
    ? { continuation, hitRate: { "5m": a / continuation, "1h": hour / continuation } }
    : { continuation: 0, hitRate: { "5m": 0, "1h": 0 } };
}
