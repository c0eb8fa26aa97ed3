import {
  type EffectivePrices,
  type ExistingCheckpoint,
  effectivePrices,
  type PromptLayout,
  type ResolvedModel,
  resolveModel,
  type TrafficHints,
  ttlMs,
} from "@cachepoint/core";
import type { Strategy } from "./strategies.js";
import type { WorkloadRequest } from "./workloads.js";

/**
 * A reference for conversation workloads, not a cachepoint strategy: what an online planner with memory can
 * reach. For each request it minimises the *expected* cost of the rest of the conversation by dynamic
 * programming over checkpoint placements (one 1h and one 5m checkpoint among the messages, TTLs non-increasing),
 * knowing only what an online planner can know:
 * - where its own earlier entries are and whether the last think time outlived them (it remembers each
 *   conversation, keyed by its first message);
 * - the share of think times over five minutes, learned from the gaps seen so far (a prior from the hints'
 *   `turnIntervalMs`, weight 8);
 * - the mean size of user and assistant messages seen so far, for the turns to come;
 * - the hints' `nextTurnProbability` for whether there is a next turn.
 * `known` replaces the learned late share and the hinted continuation with the workload's own (its distribution,
 * which a team can read off its logs and its application, still not which think times will be late).
 * It assumes two messages per turn (an answer, then the next user message), as in a chat.
 */
export function conversationReference(
  name: string,
  hints: TrafficHints,
  horizonTurns = 8,
  known: KnownDistribution = {},
): Strategy {
  const continueP = hints.nextTurnProbability ?? 0.87;
  const meanGap = hints.turnIntervalMs ?? 60_000;
  const priorWeight = 8;
  const priorLate = Math.exp(-ttlMs("5m") / meanGap);
  let gaps = 0;
  let lateGaps = 0;
  const sizes = { user: { n: 0, sum: 0 }, assistant: { n: 0, sum: 0 } };
  const mean = (s: { n: number; sum: number }) => (s.n ? s.sum / s.n : 300);
  return conversationDp(name, (step) => {
    if (step.gap !== undefined) {
      gaps++;
      if (step.gap >= ttlMs("5m")) lateGaps++;
    }
    // Learn message sizes from the messages this conversation shows for the first time.
    for (const m of step.newMessages) {
      const role = m.assistant ? sizes.assistant : sizes.user;
      role.n++;
      role.sum += m.tokens;
    }
    const q = known.lateShare ?? (lateGaps + priorLate * priorWeight) / (gaps + priorWeight);
    // Turns left after this one, when the length is known (a chat starts with a user message: turn = ⌈messages / 2⌉).
    const left =
      known.turns === undefined ? undefined : Math.max(0, known.turns - Math.ceil(step.messages / 2));
    const horizon = left ?? horizonTurns;
    const future: number[] = [];
    for (let t = 0; t < horizon; t++) future.push(mean(sizes.assistant), mean(sizes.user));
    return {
      future,
      late: () => q,
      goesOn: left === undefined ? () => continueP : (t) => (t < left ? 1 : 0),
      horizon,
    };
  });
}

/**
 * What the reference may be told of the workload's distribution (not of any conversation's future): the share of
 * think times over five minutes, and that every conversation has this many turns.
 */
export interface KnownDistribution {
  lateShare?: number;
  turns?: number;
}

/**
 * Not an online strategy: the same dynamic programme knowing each conversation's future (every think time, every
 * message, when it ends). A feasible schedule chosen with hindsight, replayed through the simulator like any
 * other, so its cost is at least the hindsight optimum over these placements and says how much of the distance to
 * the lower bound is the bound's own slack rather than not knowing the future.
 */
export function hindsightReference(name: string, requests: readonly WorkloadRequest[]): Strategy {
  // Each conversation's send times, and the tokens of all its messages (its last request holds them all).
  const byConversation = new Map<string, { times: number[]; tokens: number[] }>();
  for (const r of [...requests].sort((a, b) => a.at - b.at)) {
    const key = conversationKey(resolveModel(r.modelId).id, r.layout);
    if (key === undefined) continue;
    const conv = byConversation.get(key) ?? { times: [], tokens: [] };
    conv.times.push(r.at);
    conv.tokens = messagesOf(r.layout).tokens;
    byConversation.set(key, conv);
  }
  const none: Foresight = { future: [], late: () => 0, goesOn: () => 0, horizon: 0 };
  return conversationDp(name, (step, model, layout, at) => {
    const conv = byConversation.get(conversationKey(model.id, layout) ?? "");
    const i = conv ? conv.times.indexOf(at) : -1;
    if (!conv || i < 0) return none;
    const { times } = conv;
    const horizon = times.length - 1 - i;
    return {
      future: conv.tokens.slice(step.messages),
      late: (t) => (times[i + t + 1]! - times[i + t]! >= ttlMs("5m") ? 1 : 0),
      goesOn: (t) => (t < horizon ? 1 : 0),
      horizon,
    };
  });
}

/** What the programme assumes of a conversation's future at one request. */
interface Foresight {
  /** Tokens of the messages to come, in order (an answer, then a question, …). */
  future: number[];
  /** P(the think time after step t outlives the 5m entries), t = 0 for this request. */
  late: (t: number) => number;
  /** P(there is a step t + 1). */
  goesOn: (t: number) => number;
  horizon: number;
}

interface Step {
  /** The think time before this request, if the conversation was seen before. */
  gap?: number;
  /** Messages shown for the first time, with their tokens. */
  newMessages: { assistant: boolean; tokens: number }[];
  /** Messages in this request. */
  messages: number;
}

const conversationKey = (modelId: string, layout: PromptLayout): string | undefined => {
  const first = layout.blocks.find((b) => b.section === "messages");
  return first ? `${modelId}|${first.fingerprint}` : undefined;
};

/** Each message's last block index and its tokens, in order. */
function messagesOf(layout: PromptLayout): { ends: number[]; tokens: number[] } {
  const ends: number[] = [];
  const tokens: number[] = [];
  layout.blocks.forEach((b, i) => {
    if (b.section !== "messages") return;
    if (ends.length === 0 || layout.blocks[ends[ends.length - 1]!]!.messageIndex !== b.messageIndex) {
      ends.push(i);
      tokens.push(0);
    } else ends[ends.length - 1] = i;
    tokens[tokens.length - 1]! += b.tokens;
  });
  return { ends, tokens };
}

/**
 * One 1h and one 5m checkpoint among the messages (TTLs non-increasing) per request, chosen by dynamic programming
 * over the expected cost of this request and the ones after it, with the memory an online planner could keep of
 * its own entries. `foresee` says what is assumed of the future.
 */
function conversationDp(
  name: string,
  foresee: (step: Step, model: ResolvedModel, layout: PromptLayout, at: number) => Foresight,
): Strategy {
  const convs = new Map<string, Conversation>();
  return {
    name,
    kind: "reference",
    place(layout, model, at) {
      const sys = lastIndex(layout, (b) => b.section !== "messages");
      const { ends: msgEnds, tokens: msgTokens } = messagesOf(layout);
      const M = msgEnds.length;
      if (M === 0 || !model.price || !model.rules.ttls.includes("1h")) return [];
      const key = conversationKey(model.id, layout)!;
      let c = convs.get(key);
      let gap: number | undefined;
      if (!c) {
        c = { D: 0, L1: 0, L1At: 0, deep: 0, lastAt: at, seen: 0 };
        convs.set(key, c);
      } else {
        gap = at - c.lastAt;
        const l1Alive = c.L1 > 0 && at - c.L1At < ttlMs("1h");
        c.D = gap < ttlMs("5m") ? c.deep : l1Alive ? c.L1 : 0;
        if (!l1Alive) c.L1 = 0;
        c.lastAt = at;
      }
      const newMessages: Step["newMessages"] = [];
      for (let k = c.seen; k < M; k++)
        newMessages.push({
          assistant: layout.blocks[msgEnds[k]!]!.role === "assistant",
          tokens: msgTokens[k]!,
        });
      c.seen = M;
      const f = foresee({ ...(gap !== undefined && { gap }), newMessages, messages: M }, model, layout, at);
      const cum = [0];
      for (const t of [...msgTokens, ...f.future]) cum.push(cum[cum.length - 1]! + t);
      const horizon = Math.min(f.horizon, Math.floor((cum.length - 1 - M) / 2));
      const act = bestAction(cum, M, c.D, c.L1, f.late, f.goesOn, horizon, effectivePrices(model));

      const out: ExistingCheckpoint[] = [];
      const cp = (i: number, ttl: "5m" | "1h"): ExistingCheckpoint => ({
        afterBlock: i,
        ttl,
        path: layout.blocks[i]!.path,
        section: layout.blocks[i]!.section,
      });
      const hour = act.p1 > 0;
      if (sys >= 0) out.push(cp(sys, hour ? "1h" : "5m"));
      if (hour) out.push(cp(msgEnds[act.p1 - 1]!, "1h"));
      if (act.p5 > 0 && act.p5 > act.p1) out.push(cp(msgEnds[act.p5 - 1]!, "5m"));
      const reads = c.D > 0 && (hour || act.p5 >= c.D);
      if (hour) {
        c.L1 = act.p1;
        c.L1At = at;
      } else if (reads && c.D === c.L1) c.L1At = at; // a read refreshes the 1h entry
      c.deep = Math.max(reads ? c.D : 0, act.p1, act.p5, 0);
      return out;
    },
  };
}

interface Conversation {
  /** Deepest message whose entry is alive (0: none), deepest 1h entry and when it was last written or read. */
  D: number;
  L1: number;
  L1At: number;
  /** Deepest entry the last request left, and when it was sent. */
  deep: number;
  lastAt: number;
  seen: number;
}

function lastIndex(layout: PromptLayout, pred: (b: PromptLayout["blocks"][number]) => boolean): number {
  for (let i = layout.blocks.length - 1; i >= 0; i--) if (pred(layout.blocks[i]!)) return i;
  return -1;
}

/**
 * The placement minimising the expected cost of this request and the ones after it. `cum[k]`: tokens of messages
 * 1..k; this request ends at message `M`, each later one two messages further. State: `D` the deepest live entry,
 * `L1` the deepest 1h entry. Actions: a 1h checkpoint at `p1` in (D, end] or none (p1 = -1), and a 5m checkpoint at
 * `p5` after it or none (-1); `p5 = D` reads D without writing. A read needs a checkpoint at or after D.
 */
function bestAction(
  cum: number[],
  M: number,
  D0: number,
  L10: number,
  late: (t: number) => number,
  goesOn: (t: number) => number,
  H: number,
  p: EffectivePrices,
): { p1: number; p5: number } {
  const w1 = p.cacheWrite["1h"];
  const w5 = p.cacheWrite["5m"];
  const memo = new Map<number, { v: number; p1: number; p5: number }>();
  const V = (t: number, D: number, L1: number): { v: number; p1: number; p5: number } => {
    const key = (t * 4096 + D) * 4096 + L1;
    const hit = memo.get(key);
    if (hit) return hit;
    const end = M + 2 * t;
    let best = { v: Number.POSITIVE_INFINITY, p1: -1, p5: -1 };
    for (let p1 = D; p1 <= end; p1++) {
      const hour = p1 > D;
      for (let p5 = -1; p5 <= end; p5++) {
        if (p5 !== -1 && p5 < (hour ? p1 + 1 : D)) continue;
        const reads = D > 0 && (hour || p5 >= D);
        let at = reads ? D : 0;
        let cost = cum[at]! * p.cacheRead;
        if (hour) {
          cost += (cum[p1]! - cum[at]!) * w1;
          at = p1;
        }
        if (p5 > at) {
          cost += (cum[p5]! - cum[at]!) * w5;
          at = p5;
        }
        cost += (cum[end]! - cum[at]!) * p.input;
        const L1n = hour ? p1 : L1;
        let v = cost;
        const q = t < H ? late(t) : 0;
        const on = t < H ? goesOn(t) : 0;
        if (on > 0) {
          const onTime = q < 1 ? V(t + 1, at, Math.min(L1n, at)).v : 0;
          const expired = q > 0 ? V(t + 1, L1n, L1n).v : 0;
          v += on * ((1 - q) * onTime + q * expired);
        }
        if (v < best.v - 1e-12) best = { v, p1: hour ? p1 : -1, p5 };
      }
    }
    memo.set(key, best);
    return best;
  };
  const { p1, p5 } = V(0, D0, L10);
  return { p1, p5 };
}
