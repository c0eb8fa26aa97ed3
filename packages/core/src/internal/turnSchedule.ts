import type { PromptLayout } from "../PromptLayout.js";
import type { EffectivePrices } from "../pricing.js";
import { hedgeByLookahead } from "./hedgeLookahead.js";

/** What the `turn` hedge schedule decided for the newest turn of a conversation. @internal */
export interface TurnDecision {
  /** Place the 1h read point on the previous answer in this request. */
  readonly hedge: boolean;
  /** Tokens since the last read point the schedule placed, up to the previous answer: what a late turn rewrites. */
  readonly run: number;
  /** The run of unprotected tokens at which the schedule places the next read point. */
  readonly threshold: number;
  /** Tokens since the last read point through the newest message: what a late next turn would rewrite. */
  readonly tailRun: number;
  /** Mean tokens of the conversation's answers and user messages so far, and of the previous answer. */
  readonly meanAnswer: number;
  readonly meanUser: number;
  readonly lastAnswer: number;
  /** Decided by {@link hedgeByLookahead} over the turns to come (with the advisor's memory), not by `threshold`. */
  readonly lookahead?: boolean;
}

/**
 * Where a conversation's 1h read points go (the `turn` hedge), decided without memory of earlier requests.
 *
 * A read point on the previous answer costs its 1h premium on that answer now, and saves a next turn that comes back
 * after the 5m tail expired from rewriting everything since the last read point. Placing one every turn pays the
 * premium every turn; placing them rarely makes each late turn rewrite more. The run of unprotected tokens grows by
 * s per turn, so read points come every n turns, and a turn costs on average P / n + r × (u + s × (n − 1) / 2), where
 * P = (1h write − 5m write) × mean answer, s = mean answer + mean user message, u = mean user message and
 * r = continuation × late share × (5m write − read) per token at risk (see {@link runThreshold}).
 *
 * The planner keeps no state, so it replays the same rule over the conversation's earlier turns (each with the
 * means it could see then) to find where its earlier read points are; the layout alone decides, so every request of
 * a conversation agrees with the ones before it.
 */
export function turnSchedule(
  layout: PromptLayout,
  lateShare: number,
  continuation: number,
  prices: EffectivePrices,
  maxTurns = Number.POSITIVE_INFINITY,
): TurnDecision {
  const premiumPerToken = prices.cacheWrite["1h"] - prices.cacheWrite["5m"];
  const risk = continuation * lateShare * (prices.cacheWrite["5m"] - prices.cacheRead);
  // Messages in order: tokens and whether the assistant wrote it.
  const blocks = layout.blocks;
  let atRisk = 0; // tokens since the last read point, before the answer being considered
  let answers = 0;
  let answerTokens = 0;
  let users = 0;
  let userTokens = 0;
  let hedge = false;
  let run = 0;
  let threshold = Number.POSITIVE_INFINITY;
  let lastAnswer = 0;
  let i = 0;
  while (i < blocks.length && blocks[i]!.section !== "messages") i++;
  // Tokens of the messages before the first answer (the opening user message) are at risk from the start.
  let pendingAnswer = -1; // tokens of an answer waiting for the user message after it
  while (i < blocks.length) {
    const m = blocks[i]!.messageIndex;
    const assistant = blocks[i]!.role === "assistant";
    let tokens = 0;
    while (i < blocks.length && blocks[i]!.messageIndex === m) tokens += blocks[i++]!.tokens;
    if (assistant) {
      if (pendingAnswer >= 0) atRisk += pendingAnswer; // two answers in a row: the first is just history
      pendingAnswer = tokens;
      answers++;
      answerTokens += tokens;
      continue;
    }
    users++;
    userTokens += tokens;
    if (pendingAnswer < 0) {
      atRisk += tokens;
      hedge = false;
      continue;
    }
    // A turn: the answer before this user message is where a read point would go.
    const a = answerTokens / answers;
    const u = userTokens / users;
    threshold = runThreshold(premiumPerToken * a, a + u, risk);
    run = atRisk + pendingAnswer;
    lastAnswer = pendingAnswer;
    // Near the last turn the application allows, a read point protects only the turns left: it must pay back there.
    hedge =
      run >= threshold && risk * run * turnsServed(continuation, maxTurns - users) >= premiumPerToken * a;
    atRisk = hedge ? tokens : atRisk + pendingAnswer + tokens;
    pendingAnswer = -1;
  }
  if (pendingAnswer >= 0) {
    hedge = false; // the conversation ends with an answer: no turn to protect
    atRisk += pendingAnswer;
  }
  return {
    hedge,
    run,
    threshold,
    tailRun: atRisk,
    meanAnswer: answers ? answerTokens / answers : 0,
    meanUser: users ? userTokens / users : 0,
    lastAnswer,
  };
}

/**
 * The run of unprotected tokens at which the next read point pays: the positive root of x × (x + s) = θ², with
 * θ = √(2 × P × s / r).
 *
 * Why not θ itself: θ is where the continuous trade-off P × s / θ + r × θ / 2 is least, but the run moves in
 * steps of a whole turn. Going from a read point every n turns to every n + 1 saves P / (n × (n + 1)) of premium
 * per turn and costs r × s / 2 more at risk, so one more turn pays while n × (n + 1) < (θ / s)². With the run at
 * about n × s when the read point is placed, that is run × (run + s) ≥ θ². Waiting for the run to reach θ hedged a
 * turn late: on a chat with 20% late turns, every third turn where every second is cheaper. A value iteration
 * over the run (geometric continuation) puts the break-even within 3% of this root.
 * @internal
 */
export function runThreshold(premium: number, step: number, risk: number): number {
  if (!(risk > 0)) return Number.POSITIVE_INFINITY;
  const theta2 = (2 * premium * step) / risk;
  return (Math.sqrt(step * step + 4 * theta2) - step) / 2;
}

/**
 * What the advisor saw of a conversation's cache entries (block indexes in this request), or -1 for none alive.
 * @internal
 */
export interface ConversationMemory {
  /** The deepest entry still alive, any TTL, up to the previous answer: where this request starts writing. */
  readonly alive: number;
  /** The deepest 1h entry still alive: what protects the conversation from a late turn. */
  readonly hour: number;
}

/**
 * The turn decision with memory: the run is counted from the 1h entry that is really alive (the stateless schedule
 * assumes its own earlier read points are), and whether a read point pays is decided over the turns to come
 * ({@link hedgeByLookahead}) rather than by the steady-state threshold. A request that comes back late rewrites
 * everything since the last live entry, so a read point placed now pays the 1h premium on all of that, which
 * usually defers it to the next turn. Memory makes the lookahead affordable: without it, the schedule has to replay
 * its rule over every earlier turn, and a lookahead at each of those would cost a programme per turn.
 * @internal
 */
export function rememberedTurn(
  stateless: TurnDecision,
  memory: ConversationMemory,
  cum: Float64Array,
  at: { previousAnswerEnd: number; tail: number; messagesStart: number; userMessages: number },
  lateShare: number,
  continuation: number,
  prices: EffectivePrices,
  maxTurns = Number.POSITIVE_INFINITY,
): TurnDecision {
  const before = at.messagesStart > 0 ? cum[at.messagesStart - 1]! : 0;
  const protectedTo = memory.hour >= 0 ? cum[memory.hour]! : before;
  const aliveTo = memory.alive >= 0 ? cum[memory.alive]! : before;
  const answerEnd = cum[at.previousAnswerEnd]!;
  const run = Math.max(0, answerEnd - protectedTo);
  const written = Math.max(0, answerEnd - aliveTo);
  const { meanAnswer: a, meanUser: u, lastAnswer } = stateless;
  const tailEnd = cum[at.tail]!;
  const hedge = hedgeByLookahead(
    {
      run,
      written: Math.max(written, lastAnswer),
      user: tailEnd - answerEnd,
      meanAnswer: a,
      meanUser: u,
      lateShare,
      continuation,
      turnsLeft: maxTurns - at.userMessages,
    },
    prices,
  );
  return { ...stateless, hedge, run, tailRun: tailEnd - (hedge ? answerEnd : protectedTo), lookahead: true };
}

/** Expected next turns a read point placed now can serve, with `left` turns allowed after this one. */
function turnsServed(continuation: number, left: number): number {
  if (left <= 0) return 0;
  if (!Number.isFinite(left)) return continuation < 1 ? 1 / (1 - continuation) : Number.POSITIVE_INFINITY;
  return continuation < 1 ? (1 - continuation ** left) / (1 - continuation) : left;
}
