import {
  type EffectivePrices,
  type ExistingCheckpoint,
  effectivePrices,
  type PromptLayout,
  type TrafficHints,
  ttlMs,
} from "@cachepoint/core";
import type { Strategy } from "./strategies.js";

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
 * It assumes two messages per turn (an answer, then the next user message), as in a chat.
 */
export function conversationReference(name: string, hints: TrafficHints, horizonTurns = 8): Strategy {
  const convs = new Map<string, Conversation>();
  const continueP = hints.nextTurnProbability ?? 0.87;
  const meanGap = hints.turnIntervalMs ?? 60_000;
  const priorWeight = 8;
  const priorLate = Math.exp(-ttlMs("5m") / meanGap);
  let gaps = 0;
  let lateGaps = 0;
  const sizes = { user: { n: 0, sum: 0 }, assistant: { n: 0, sum: 0 } };
  const mean = (s: { n: number; sum: number }) => (s.n ? s.sum / s.n : 300);

  return {
    name,
    kind: "cachepoint",
    place(layout, model, at) {
      const sys = lastIndex(layout, (b) => b.section !== "messages");
      const msgEnds: number[] = []; // block index of each message's last block
      const msgTokens: number[] = [];
      layout.blocks.forEach((b, i) => {
        if (b.section !== "messages") return;
        if (
          msgEnds.length === 0 ||
          layout.blocks[msgEnds[msgEnds.length - 1]!]!.messageIndex !== b.messageIndex
        ) {
          msgEnds.push(i);
          msgTokens.push(0);
        } else msgEnds[msgEnds.length - 1] = i;
        msgTokens[msgTokens.length - 1]! += b.tokens;
      });
      const M = msgEnds.length;
      if (M === 0 || !model.price || !model.rules.ttls.includes("1h")) return [];
      const key = `${model.id}|${layout.blocks[msgEnds[0]!]!.fingerprint}`;
      let c = convs.get(key);
      if (!c) {
        c = { D: 0, L1: 0, L1At: 0, deep: 0, lastAt: at, seen: 0 };
        convs.set(key, c);
      } else {
        const gap = at - c.lastAt;
        gaps++;
        if (gap >= ttlMs("5m")) lateGaps++;
        const l1Alive = c.L1 > 0 && at - c.L1At < ttlMs("1h");
        c.D = gap < ttlMs("5m") ? c.deep : l1Alive ? c.L1 : 0;
        if (!l1Alive) c.L1 = 0;
        c.lastAt = at;
      }
      // Learn message sizes from the messages this conversation shows for the first time.
      for (let k = c.seen; k < M; k++) {
        const role = layout.blocks[msgEnds[k]!]!.role === "assistant" ? sizes.assistant : sizes.user;
        role.n++;
        role.sum += msgTokens[k]!;
      }
      c.seen = M;
      const q = (lateGaps + priorLate * priorWeight) / (gaps + priorWeight);
      const future: number[] = [];
      for (let t = 0; t < horizonTurns; t++) future.push(mean(sizes.assistant), mean(sizes.user));
      const cum = [0];
      for (const t of [...msgTokens, ...future]) cum.push(cum[cum.length - 1]! + t);
      const act = bestAction(cum, M, c.D, c.L1, q, continueP, horizonTurns, effectivePrices(model));

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
  q: number,
  continueP: number,
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
        if (t < H) {
          const onTime = V(t + 1, at, Math.min(L1n, at)).v;
          const late = V(t + 1, L1n, L1n).v;
          v += continueP * ((1 - q) * onTime + q * late);
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
