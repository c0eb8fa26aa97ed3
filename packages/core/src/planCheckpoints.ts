import { type CacheAdvisor, familyKey, type ObservedReuse } from "./CacheAdvisor.js";
import type {
  CachePlan,
  CheckpointChange,
  CheckpointRole,
  PlanEstimate,
  PlannedCheckpoint,
  Strategy,
} from "./CachePlan.js";
import { CachepointError } from "./CachepointError.js";
import type { Diagnostic } from "./Diagnostic.js";
import { conversationMemory } from "./internal/conversationMemory.js";
import {
  type ConversationOdds,
  conversationOdds,
  hintedTurnWithin,
  hintWeight,
  lastTurnOdds,
} from "./internal/conversationOdds.js";
import { formatInt } from "./internal/formatInt.js";
import { canCloseAt } from "./internal/placement.js";
import {
  type ConversationMemory,
  rememberedTurn,
  type TurnDecision,
  turnSchedule,
} from "./internal/turnSchedule.js";
import { opensUserMessage } from "./internal/userTurns.js";
import { ttlMs, ttlRank } from "./ModelRules.js";
import type { Section, Ttl } from "./modelTypes.js";
import type { PromptLayout } from "./PromptLayout.js";
import { prefixKeys, steadyPrefixKeys } from "./prefixKeys.js";
import { type EffectivePrices, effectivePrices } from "./pricing.js";
import { type ResolvedModel, type ResolveModelOptions, resolveModel } from "./resolveModel.js";
import type { TrafficHints } from "./TrafficHints.js";
import { cumulativeTokens, effectiveTtl, validateCheckpoints } from "./validateCheckpoints.js";
import { validatePlanOptions } from "./validatePlanOptions.js";

/** Options for {@link planCheckpoints}. @public */
export interface PlanOptions {
  /** Default `auto`. */
  strategy?: Strategy;
  /** Force this TTL on planned checkpoints (falls back to 5m, with a diagnostic, where the model lacks it). */
  ttl?: Ttl;
  hints?: TrafficHints;
  /**
   * Safety margin over the model's minimum, as a fraction: a prefix must reach `min × (1 + margin)` before
   * the planner places a checkpoint there. Default 0.15 (the default estimator's expected error); 0 when
   * `tokenCountsExact`.
   */
  minTokensMargin?: number;
  /** Token counts came from CountTokens: no margin is needed. */
  tokenCountsExact?: boolean;
  /** Use fewer checkpoints than the model allows (e.g. to leave room for a framework's own). */
  maxCheckpoints?: number;
  /** Output tokens to include in the plan's cost estimate. */
  expectedOutputTokens?: number;
  /** Throw a `CachepointError` (`strict-mode`) when an error diagnostic remains. */
  strict?: boolean;
  /** Learns from observed usage (auto only): prefixes written again and again but never read are skipped. */
  advisor?: CacheAdvisor;
  /**
   * When this request is sent (ms since the epoch), for the advisor: the time since a prefix was last seen is
   * already evidence for the TTL choice. Default `Date.now()`; pass it when replaying recorded traffic.
   */
  now?: number;
  /** How to resolve `model` when it is a string (registry, aliases, overrides, region). */
  resolve?: ResolveModelOptions;
}

interface Candidate {
  role: CheckpointRole;
  /** Block the strategy would like to close; the planner walks back to the nearest allowed block. */
  target: number;
  /** Walk back no further than this block (stay within the section or message). */
  floor: number;
  why: string;
}

interface Chosen {
  afterBlock: number;
  role: CheckpointRole;
  origin: "planned" | "user";
  ttl: Ttl;
  why: string;
  userIndex?: number;
  ttlWhy?: string;
}

const fmt = formatInt;

function lastIndexWhere(from: number, pred: (i: number) => boolean): number {
  for (let i = from; i >= 0; i--) if (pred(i)) return i;
  return -1;
}

/** Block positions that matter to the strategies (plain loops: this runs on every request). */
function landmarks(layout: PromptLayout) {
  const b = layout.blocks;
  let toolsEnd = -1;
  let systemEnd = -1;
  let messagesStart = -1;
  let userMessages = 0; // the conversation's turn: user messages, tool results included
  for (let i = 0; i < b.length; i++) {
    const s = b[i]!.section;
    if (s === "tools") toolsEnd = i;
    else if (s === "system") systemEnd = i;
    else if (s === "messages") {
      if (messagesStart < 0) messagesStart = i;
      if (opensUserMessage(b, i)) userMessages++;
    }
  }
  const tail = b.length > 0 && b[b.length - 1]!.section === "messages" ? b.length - 1 : -1;
  let history = -1;
  let lastMessageStart = -1;
  let previousAnswerEnd = -1;
  if (tail >= 0) {
    const lastMsg = b[tail]!.messageIndex ?? -1;
    let i = tail;
    while (i >= 0 && b[i]!.messageIndex === lastMsg) i--;
    lastMessageStart = i + 1;
    // The previous request of this conversation ended just before the newest assistant message.
    let assistant = tail;
    while (assistant >= 0 && !(b[assistant]!.section === "messages" && b[assistant]!.role === "assistant"))
      assistant--;
    if (assistant >= 0) {
      const aMsg = b[assistant]!.messageIndex;
      history = assistant;
      while (history >= 0 && !(b[history]!.section === "messages" && b[history]!.messageIndex !== aMsg))
        history--;
      if (assistant === lastMessageStart - 1) previousAnswerEnd = assistant;
    }
  }
  return {
    toolsEnd,
    systemEnd,
    messagesStart,
    tail,
    history,
    lastMessageStart,
    previousAnswerEnd,
    userMessages,
  };
}

/** A large leading block in the newest message (a document before the question): a stable anchor. */
function contentAnchor(layout: PromptLayout, start: number, end: number): number {
  if (start < 0 || end - start < 1) return -1;
  let total = 0;
  for (let i = start; i <= end; i++) total += layout.blocks[i]!.tokens;
  let run = 0;
  for (let i = start; i < end; i++) {
    run += layout.blocks[i]!.tokens;
    // Everything after i is small next to what came before it, and i itself is a large block (a document,
    // not one of many similar tool results): i ends the stable content.
    if (run >= total * 0.8) return layout.blocks[i]!.tokens >= total * 0.25 ? i : -1;
  }
  return -1;
}

/** The tokens a checkpoint's segment holds (since the previous checkpoint) and how many are new in this request. */
interface Segment {
  role: CheckpointRole;
  tokens: number;
  fresh: number;
  /** Tokens a next turn that comes back late rewrites (the rest is read under an earlier 1h read point). */
  atRisk: number;
  /** What the advisor observed for this prefix, when it has enough samples. */
  seen?: ObservedReuse;
  /** For a conversation segment: its next-turn odds (hints and observations combined once, not per TTL tried). */
  odds?: ConversationOdds;
}

function segmentsOf(
  chosen: readonly { afterBlock: number; role: CheckpointRole }[],
  cum: Float64Array,
  previousTurnEnd: number,
  hints: TrafficHints,
  observedAt?: (afterBlock: number, role: CheckpointRole) => ObservedReuse | undefined,
  tailRun?: number,
  turn?: number,
): Segment[] {
  let prev = 0;
  return chosen.map((c) => {
    const seen = observedAt?.(c.afterBlock, c.role);
    const odds = isConversation(c.role) ? conversationOdds(hints, seen, turn) : undefined;
    const end = cum[c.afterBlock]!;
    const tokens = end - prev;
    const known = previousTurnEnd >= 0 ? Math.min(end, Math.max(prev, cum[previousTurnEnd]!)) : prev;
    prev = end;
    const atRisk = c.role === "tail" && tailRun !== undefined ? Math.min(tokens, tailRun) : tokens;
    return {
      role: c.role,
      tokens,
      fresh: c.role === "history" ? 0 : end - known,
      atRisk,
      ...(seen && { seen }),
      ...(odds && { odds }),
    };
  });
}

/** Checkpoints that move with a conversation (read by its next turn) rather than shared prefixes. */
const isConversation = (role: CheckpointRole) => role === "tail" || role === "history" || role === "turn";

/**
 * Probability that the entry is read before it expires, or undefined when neither the hints nor the advisor
 * say anything. With both, the observed rate is shrunk toward the hinted one: a young prefix has only seen its
 * first burst, and the long gaps that decide between 5m and 1h cannot be observed until they happen.
 */
function hitRate(seg: Segment, ttl: Ttl, hints: TrafficHints): number | undefined {
  const { role, seen } = seg;
  if (isConversation(role) && (ttl === "5m" || ttl === "1h")) return seg.odds?.hitRate[ttl];
  const hinted = hintedHitRate(role, ttl, hints);
  if (seen && (ttl === "5m" || ttl === "1h")) {
    const observed = seen.hitRate[ttl];
    return hinted === undefined
      ? observed
      : (seen.samples * observed + hintWeight * hinted) / (seen.samples + hintWeight);
  }
  return hinted;
}

function hintedHitRate(role: CheckpointRole, ttl: Ttl, hints: TrafficHints): number | undefined {
  const T = ttlMs(ttl);
  if (isConversation(role)) {
    if (hints.nextTurnProbability === undefined) return undefined;
    return hintedTurnWithin(hints, T);
  }
  if (hints.expectedReuses !== undefined) {
    const r = Math.max(0, hints.expectedReuses);
    return r / (1 + r);
  }
  const rate =
    role === "content"
      ? (hints.contentRequestsPerMinute ?? hints.requestsPerMinute)
      : hints.requestsPerMinute;
  if (rate !== undefined) return 1 - Math.exp(-Math.max(0, rate) * (T / 60_000));
  return undefined;
}

/**
 * Expected cost (in tokens × $/1M) of one checkpoint's segment under a TTL, or uncached (`none`); undefined
 * when the hints say nothing about it.
 * Shared prefixes (tools, system, documents) live in steady traffic: a request hits when the previous one came
 * within one TTL (Poisson: p = 1 − e^(−rate × TTL)), so each costs p × read + (1 − p) × write.
 * A conversation segment costs its new tokens written now, plus, if the conversation goes on (probability q),
 * the next turn reading the whole segment, or rewriting it whole when the gap outlived the TTL.
 */
function segmentCost(
  seg: Segment,
  ttl: Ttl | "none",
  hints: TrafficHints,
  p: EffectivePrices,
): number | undefined {
  const seen = seg.seen;
  if (isConversation(seg.role)) {
    const odds = seg.odds;
    if (odds === undefined) return undefined;
    const q = Math.min(1, Math.max(0, odds.continuation));
    if (ttl === "none") return seg.fresh * p.input + q * seg.tokens * p.input;
    const hit = hitRate(seg, ttl, hints) ?? 1;
    const w = p.cacheWrite[ttl];
    // Expired: the next turn rewrites what it cannot read under an earlier 1h read point, and reads the rest.
    const expired = seg.atRisk * w + (seg.tokens - seg.atRisk) * p.cacheRead;
    return seg.fresh * w + q * (hit * seg.tokens * p.cacheRead + (1 - hit) * expired);
  }
  if (ttl === "none")
    return hintedHitRate(seg.role, "5m", hints) === undefined && !seen ? undefined : seg.tokens * p.input;
  const hit = hitRate(seg, ttl, hints);
  if (hit === undefined) return undefined;
  return seg.tokens * (hit * p.cacheRead + (1 - hit) * p.cacheWrite[ttl]);
}

function estimateOf(
  chosen: readonly PlannedCheckpoint[],
  total: number,
  prices: EffectivePrices,
  outputTokens: number,
): PlanEstimate {
  let prev = 0;
  let writeUsd = 0;
  let premiumUsd = 0;
  for (const c of chosen) {
    const delta = c.prefixTokens - prev;
    prev = c.prefixTokens;
    writeUsd += (delta * prices.cacheWrite[c.ttl]) / 1e6;
    premiumUsd += (delta * (prices.cacheWrite[c.ttl] - prices.input)) / 1e6;
  }
  const cached = prev;
  const rest = ((total - cached) * prices.input) / 1e6 + (outputTokens * prices.output) / 1e6;
  const readUsd = (cached * prices.cacheRead) / 1e6;
  const savingPerRead = (cached * (prices.input - prices.cacheRead)) / 1e6;
  return {
    coldUsd: writeUsd + rest,
    warmUsd: readUsd + rest,
    uncachedUsd: (total * prices.input) / 1e6 + (outputTokens * prices.output) / 1e6,
    breakEvenReads:
      premiumUsd <= 0 ? 0 : savingPerRead > 0 ? premiumUsd / savingPerRead : Number.POSITIVE_INFINITY,
  };
}

/** After a tail is dropped: the read of what the previous turn wrote goes on, unless a checkpoint still reaches it. */
function keepHistoryRead(chosen: Chosen[], h: Chosen | undefined, budget: number, lookback: number): void {
  if (!h || chosen.includes(h) || chosen.length >= budget) return;
  for (const c of chosen) if (c.afterBlock >= h.afterBlock && c.afterBlock - h.afterBlock < lookback) return;
  chosen.push(h);
  sortByBlock(chosen);
}

/** A planned or kept checkpoint as the plan reports it. */
function toPlanned(
  layout: PromptLayout,
  cum: Float64Array,
  afterBlock: number,
  role: CheckpointRole,
  origin: "planned" | "user",
  ttl: Ttl,
  why: string,
): PlannedCheckpoint {
  const block = layout.blocks[afterBlock];
  const prefixTokens = afterBlock >= 0 ? cum[afterBlock]! : 0;
  return {
    afterBlock,
    section: block?.section ?? "system",
    path: block?.path ?? "",
    ttl,
    prefixTokens,
    role,
    origin,
    reason: `${why} (${fmt(prefixTokens)}-token prefix)`,
  };
}

/**
 * Decides where cache checkpoints go in a request for a model, with a reason for each and a diagnostic for
 * everything Bedrock would reject or silently ignore.
 *
 * Strategies: `auto` (cost-aware: system anchor, moving tail, a history read point when the tail's lookback
 * cannot reach the previous turn, a content anchor; skips what would not pay back under `hints`),
 * `static-prefix` (tools and system), `conversation` (system anchor + moving tail + history, replacing older
 * message checkpoints so they never accumulate), `manual` (keep the request's checkpoints; validate only).
 * The request's own valid checkpoints count against the model's budget.
 * @example
 * const plan = planCheckpoints(layout, "us.anthropic.claude-sonnet-4-6", { strategy: "auto" });
 * for (const c of plan.checkpoints) console.log(c.path, c.prefixTokens, c.ttl, c.reason);
 * for (const d of plan.diagnostics) console.log(d.severity, d.code, d.message);
 * @public
 */
export function planCheckpoints(
  layout: PromptLayout,
  model: ResolvedModel | string,
  options: PlanOptions = {},
): CachePlan {
  const strategy: Strategy = options.strategy ?? "auto";
  validatePlanOptions(options);
  checkLayout(layout);
  const diagnostics: Diagnostic[] = [];
  const changes: CheckpointChange[] = [];
  const cum = cumulativeTokens(layout);
  const total = cum.length > 0 ? cum[cum.length - 1]! : 0;

  let m: ResolvedModel;
  if (typeof model === "string") {
    try {
      m = resolveModel(model, options.resolve);
    } catch (e) {
      if (
        e instanceof CachepointError &&
        (e.reason === "unknown-model" || e.reason === "opaque-model-arn" || e.reason === "invalid-model-id")
      ) {
        diagnostics.push({ code: "unknown-model", severity: "error", message: e.message });
        return finish(model, strategy, [], diagnostics, changes, total, undefined, options);
      }
      throw e;
    }
  } else m = model;

  const rules = m.rules;
  const name = m.name;
  if (layout.format === "legacy-text-completion") {
    diagnostics.push({
      code: "legacy-text-completion",
      severity: layout.checkpoints.length > 0 ? "error" : "warning",
      message:
        'This is a legacy text-completion body ("prompt": "Human: … Assistant:"). Prompt caching needs the Messages API: send `anthropic_version` with `messages` (InvokeModel) or use Converse, then add checkpoints.' +
        (layout.checkpoints.length > 0
          ? " The cache_control in this body is not part of the text-completion API."
          : ""),
    });
    return finish(m.id, strategy, [], diagnostics, changes, total, undefined, options);
  }
  if (!rules.supportsExplicitCaching) {
    const has = layout.checkpoints.length > 0;
    const keep = strategy === "manual";
    diagnostics.push({
      code: "model-unsupported",
      severity: has && keep ? "error" : "warning",
      message: `${rules.unsupportedReason ?? `${name} does not support prompt caching on Bedrock`}.${has ? (keep ? ' Bedrock rejects its checkpoints ("You invoked an unsupported model or your request did not allow prompt caching"): remove them.' : " Its checkpoints were removed so the request does not fail.") : " No checkpoints were placed."}`,
    });
    if (has && !keep) {
      for (const cp of layout.checkpoints)
        changes.push({
          action: "removed",
          path: cp.path,
          reason: "the model does not support prompt caching",
        });
    }
    const kept = keep
      ? layout.checkpoints.map((cp) =>
          toPlanned(layout, cum, cp.afterBlock, "user", "user", effectiveTtl(cp), "placed by the caller"),
        )
      : [];
    return finish(m.id, strategy, kept, diagnostics, changes, total, undefined, options);
  }
  if (!rules.maxCheckpointsKnown) {
    diagnostics.push({
      code: "assumed-limit",
      severity: "info",
      message: `AWS documents no checkpoint maximum for ${name}; cachepoint assumes ${rules.maxCheckpoints}, every other model's limit. Override caching.maxCheckpoints if you know better.`,
    });
  }

  const margin = options.tokenCountsExact ? 0 : Math.max(0, options.minTokensMargin ?? 0.15);
  const budget = Math.min(rules.maxCheckpoints, Math.max(0, options.maxCheckpoints ?? rules.maxCheckpoints));
  const min = rules.minTokensPerCheckpoint;
  const issues = validateCheckpoints(layout, rules, { modelName: name, minTokensMargin: margin, cum });

  if (strategy === "manual") {
    for (const i of issues) diagnostics.push(i.diagnostic);
    const kept = layout.checkpoints.map((cp) =>
      toPlanned(
        layout,
        cum,
        cp.afterBlock,
        "user",
        "user",
        effectiveTtl(cp),
        "placed by the caller (manual strategy keeps every checkpoint)",
      ),
    );
    warnVolatile(layout, kept, diagnostics);
    return finish(m.id, strategy, kept, diagnostics, changes, total, m, options);
  }

  const lm = landmarks(layout);
  // A prompt smaller than the minimum has nowhere to cache: say so without planning (small requests are common,
  // and the plugin plans every one). The same diagnostic the full path gives once every candidate fell short.
  if (
    layout.checkpoints.length === 0 &&
    budget > 0 &&
    total < min * (1 + margin) &&
    (closableIn(layout, rules, lm.systemEnd >= 0 ? lm.systemEnd : lm.toolsEnd, staticFloor(layout, lm)) ||
      (strategy !== "static-prefix" && closableIn(layout, rules, lm.tail, lm.messagesStart)))
  ) {
    diagnostics.push(nothingToCache(total, name, min, margin));
    return finish(m.id, strategy, [], diagnostics, changes, total, m, options);
  }

  // 1. The request's own checkpoints: keep the valid ones, move or remove the rest.
  const chosen: Chosen[] = [];
  const used: number[] = []; // blocks that already close a checkpoint (a handful: an array beats a Set)
  layout.checkpoints.forEach((cp, index) => {
    const mine = issues.filter((x) => x.index === index).map((x) => x.diagnostic);
    const fatal = mine.filter(
      (d) => d.severity === "error" && d.code !== "too-many-checkpoints" && d.code !== "ttl-order",
    );
    if (strategy === "conversation" && cp.section === "messages") {
      changes.push({
        action: "removed",
        path: cp.path,
        reason:
          "the conversation strategy places its own moving tail in messages, so old checkpoints never accumulate",
      });
      return;
    }
    if (fatal.length > 0) {
      const placementOnly =
        fatal.every((d) => d.code === "placement-forbidden") && cp.afterBlock >= 0 && cp.inside === undefined;
      if (placementOnly) {
        const to = lastIndexWhere(
          cp.afterBlock - 1,
          (i) =>
            layout.blocks[i]!.section === layout.blocks[cp.afterBlock]!.section &&
            canCloseAt(layout.blocks[i]!, rules),
        );
        if (to >= 0 && cum[to]! >= min * (1 + margin) && !used.includes(to)) {
          used.push(to);
          chosen.push({
            afterBlock: to,
            role: "user",
            origin: "user",
            ttl: ttlFor(cp.ttl, rules),
            why: `placed by the caller at ${cp.path}, moved to the nearest block Bedrock accepts`,
            userIndex: index,
          });
          changes.push({ action: "moved", path: cp.path, toAfterBlock: to, reason: fatal[0]!.message });
          diagnostics.push({
            ...fatal[0]!,
            severity: "warning",
            message: `${fatal[0]!.message} Moved to ${layout.blocks[to]!.path}.`,
          });
          return;
        }
      }
      changes.push({ action: "removed", path: cp.path, reason: fatal[0]!.message });
      for (const d of fatal)
        diagnostics.push({ ...d, severity: "warning", message: `${d.message} Removed.` });
      return;
    }
    const below = mine.find((d) => d.code === "below-min-tokens");
    if (below) {
      changes.push({ action: "removed", path: cp.path, reason: below.message });
      diagnostics.push({ ...below, message: `${below.message} Removed, freeing a checkpoint.` });
      return;
    }
    for (const d of mine) if (d.severity !== "error") diagnostics.push(d);
    if (used.includes(cp.afterBlock)) {
      changes.push({
        action: "removed",
        path: cp.path,
        reason: "a second checkpoint on the same block adds nothing",
      });
      return;
    }
    used.push(cp.afterBlock);
    chosen.push({
      afterBlock: cp.afterBlock,
      role: "user",
      origin: "user",
      ttl: effectiveTtl(cp),
      why: `placed by the caller at ${cp.path}`,
      userIndex: index,
    });
  });

  // 2. The strategy's own candidates, in priority order.
  const candidates: Candidate[] = [];
  const sys = lm.systemEnd >= 0 ? lm.systemEnd : lm.toolsEnd;
  const sysRole: CheckpointRole = lm.systemEnd >= 0 ? "system" : "tools";
  const sysFloor = staticFloor(layout, lm);
  if (sys >= 0)
    candidates.push({
      role: sysRole,
      target: sys,
      floor: sysFloor,
      why:
        sysRole === "system"
          ? "end of the system prompt, shared by every request"
          : "end of the tool definitions, shared by every request",
    });
  if (strategy !== "static-prefix" && lm.tail >= 0) {
    candidates.push({
      role: "tail",
      target: lm.tail,
      floor: lm.messagesStart,
      why: "end of the request, so the next turn reads everything up to here",
    });
    if (lm.history >= 0) {
      candidates.push({
        role: "history",
        target: lm.history,
        floor: lm.messagesStart,
        why: "where the previous turn ended, so this request reads what it wrote",
      });
    }
  }
  // A hedge for late turns: a 1h read point on the previous answer, so a turn that comes back after the tail expired
  // rewrites only what came after it. Where they go is a schedule the layout alone decides (turnSchedule).
  let prices: EffectivePrices | undefined;
  try {
    prices = m.price ? effectivePrices(m) : undefined;
  } catch {
    prices = undefined;
  }
  const advisor = strategy === "auto" ? options.advisor : undefined;
  const advisorKeys = advisor ? prefixKeys(layout) : undefined;
  // The advisor learns by the steady keys (blocks that differ only in the time count as one); the entries it
  // remembers are the cache's own, by the exact keys.
  const steadyKeys = advisorKeys && steadyPrefixKeys(layout, advisorKeys);
  const asked = advisorKeys &&
    steadyKeys && {
      keys: advisorKeys,
      steady: steadyKeys,
      family: familyKey(layout, steadyKeys),
      now: options.now ?? Date.now(),
    };
  // A conversation length the advisor learned stands in for hints.maxTurns when the hints give none, unless this
  // very request goes past it (then it was wrong).
  const learnedTurns =
    advisor?.maxTurns && asked && options.hints?.maxTurns === undefined
      ? advisor.maxTurns(asked.family, asked.now)
      : undefined;
  const planHints: TrafficHints | undefined =
    learnedTurns !== undefined && lm.userMessages <= learnedTurns
      ? { ...options.hints, maxTurns: learnedTurns }
      : options.hints;
  let turn: TurnDecision | undefined;
  // What the advisor saw of this conversation's entries: where this request really starts writing.
  let memory: ConversationMemory | undefined;
  if (
    strategy === "auto" &&
    lm.previousAnswerEnd >= 0 &&
    options.ttl === undefined &&
    prices &&
    rules.ttls.includes("1h")
  ) {
    const hints = planHints ?? {};
    const seen =
      advisor && asked
        ? advisor.observed(asked.steady[lm.previousAnswerEnd]!, "turn", asked.family, asked.now)
        : undefined;
    const odds = conversationOdds(hints, seen, lm.userMessages);
    turn = odds
      ? turnSchedule(
          layout,
          1 - odds.hitRate["5m"],
          Math.min(1, Math.max(0, odds.continuation)),
          prices,
          hints.maxTurns,
        )
      : undefined;
    memory =
      turn && advisor?.entry && asked && lm.history >= 0
        ? conversationMemory(layout, asked.keys, advisor.entry, asked.now, lm.history, lm.messagesStart)
        : undefined;
    if (turn && odds && memory)
      turn = rememberedTurn(
        turn,
        memory,
        cum,
        lm,
        1 - odds.hitRate["5m"],
        Math.min(1, Math.max(0, odds.continuation)),
        prices,
        hints.maxTurns,
      );
    // The advisor saw the previous turn's entry expire: this request reads the deepest entry still alive, and writes
    // from there only under the tail. Kept at the old history, a request with no tail (the conversation's last turn)
    // would rewrite up to it a prefix no later request reads.
    if (memory && memory.alive < lm.history) {
      const h = candidates.findIndex((c) => c.role === "history");
      if (h >= 0 && memory.alive >= lm.messagesStart)
        candidates[h] = {
          ...candidates[h]!,
          target: memory.alive,
          why: "the deepest entry of this conversation still alive (the previous turn's expired), so this request reads it",
        };
      else if (h >= 0) candidates.splice(h, 1);
    }
    if (turn?.hedge) {
      const answer = layout.blocks[lm.previousAnswerEnd]!.messageIndex;
      candidates.push({
        role: "turn",
        target: lm.previousAnswerEnd,
        floor: lastIndexWhere(lm.previousAnswerEnd, (i) => layout.blocks[i]!.messageIndex !== answer) + 1,
        why: turn.lookahead
          ? `end of the previous answer: a 1h read point, because over the turns to come its premium costs less than what turns coming back after the tail expired would rewrite (${fmt(turn.run)} tokens since the conversation's last live 1h entry, and growing)`
          : `end of the previous answer: a 1h read point, placed when the conversation since the last one (${fmt(turn.run)} tokens) reaches ${fmt(turn.threshold)}, so a turn that comes back after the tail expired rewrites only what came after it`,
      });
    }
  }
  if (strategy === "auto" && lm.tail >= 0) {
    const anchor = contentAnchor(layout, lm.lastMessageStart, lm.tail);
    if (anchor >= 0)
      candidates.push({
        role: "content",
        target: anchor,
        floor: lm.lastMessageStart,
        why: "end of the large leading content of the newest message, which later questions can share",
      });
  }
  if ((strategy === "static-prefix" || strategy === "auto") && lm.toolsEnd >= 0 && lm.systemEnd >= 0) {
    candidates.push({
      role: "tools",
      target: lm.toolsEnd,
      floor: 0,
      why: "end of the tool definitions, so a changed system prompt still reads the tools",
    });
  }

  const belowMin: string[] = [];
  let tailPos = -1;
  let historyRead: Chosen | undefined;
  for (const c of candidates) {
    if (chosen.length >= budget) break;
    let pos = c.target; // walk back to the nearest block Bedrock lets a checkpoint close, within the floor
    while (pos >= c.floor && !canCloseAt(layout.blocks[pos]!, rules)) pos--;
    if (pos < c.floor) pos = -1;
    if (pos < 0) continue;
    if (rules.maxCachedTokens !== null && cum[pos]! > rules.maxCachedTokens) {
      const cap = rules.maxCachedTokens;
      const capped = lastIndexWhere(pos, (i) => cum[i]! <= cap && canCloseAt(layout.blocks[i]!, rules));
      diagnostics.push({
        code: "max-cached-tokens",
        severity: "info",
        message: `The ${c.role} checkpoint would cache ${fmt(cum[pos]!)} tokens, over ${name}'s ${fmt(cap)}-token maximum; ${capped >= 0 ? `placed at ${layout.blocks[capped]!.path} (${fmt(cum[capped]!)} tokens) instead` : "not placed"}.`,
        path: layout.blocks[pos]!.path,
      });
      pos = capped;
      if (pos < 0) continue;
    }
    if (c.role === "history" && tailPos >= 0 && tailPos - pos < rules.lookbackBlocks) {
      // The tail's lookback reaches it. Kept aside: if the tail is dropped later, this request must still read it.
      if (!used.includes(pos) && cum[pos]! >= min * (1 + margin))
        historyRead = { afterBlock: pos, role: "history", origin: "planned", ttl: "5m", why: c.why };
      continue;
    }
    if (used.includes(pos)) {
      if (c.role === "tail") tailPos = pos;
      continue;
    }
    if (cum[pos]! < min * (1 + margin)) {
      belowMin.push(`${c.role} at ${layout.blocks[pos]!.path} (${fmt(cum[pos]!)} tokens)`);
      continue;
    }
    used.push(pos);
    if (c.role === "tail") tailPos = pos;
    chosen.push({ afterBlock: pos, role: c.role, origin: "planned", ttl: "5m", why: c.why });
  }

  // 3. Make room: in auto, a moving tail beats an old message checkpoint of the caller's.
  sortByBlock(chosen);
  while (chosen.length > budget) {
    const victim = chosen.findIndex(
      (c) => c.origin === "user" && layout.blocks[c.afterBlock]!.section === "messages",
    );
    const at = victim >= 0 ? victim : chosen.length - 1;
    const [gone] = chosen.splice(at, 1);
    if (gone!.origin === "user") {
      const cp = layout.checkpoints[gone!.userIndex!]!;
      changes.push({
        action: "removed",
        path: cp.path,
        reason: `over ${name}'s ${budget}-checkpoint budget; the oldest message checkpoint gave way`,
      });
      diagnostics.push({
        code: "too-many-checkpoints",
        severity: "warning",
        message: `${layout.checkpoints.length} caller checkpoints plus the plan exceed ${name}'s limit of ${budget}; removed the one at ${cp.path}.`,
        path: cp.path,
      });
    }
  }

  // 3b. What the advisor has learned: drop planned checkpoints whose prefixes never paid off.
  if (advisor && asked) {
    for (let k = chosen.length - 1; k >= 0; k--) {
      const c = chosen[k]!;
      if (c.origin !== "planned") continue;
      const why = advisor.advise(asked.steady[c.afterBlock]!, c.role, asked.family, asked.now);
      if (why === undefined) continue;
      chosen.splice(k, 1);
      // Learned by the steady key: say which per-request value made every request's prefix a new one.
      const moving =
        asked.steady[c.afterBlock] !== asked.keys[c.afterBlock]
          ? layout.blocks.find((b, i) => i <= c.afterBlock && b.volatile !== undefined)?.volatile
          : undefined;
      diagnostics.push({
        code: "not-worth-caching",
        severity: "info",
        message: `Skipped the ${c.role} checkpoint at ${layout.blocks[c.afterBlock]!.path}: ${why}${moving ? ` (it holds "${moving.value}", which changes from request to request, so no request's prefix is one cached before)` : ""}.`,
        path: layout.blocks[c.afterBlock]!.path,
      });
    }
    keepHistoryRead(chosen, historyRead, budget, rules.lookbackBlocks);
  }

  // 4. TTLs: cost-aware where hints allow, forced by options.ttl, non-increasing in processing order.
  if (options.ttl !== undefined && !rules.ttls.includes(options.ttl)) {
    diagnostics.push({
      code: "ttl-unsupported",
      severity: "warning",
      message: `${name} does not offer a ${options.ttl} TTL on Bedrock (only ${rules.ttls.join(", ")}); planned checkpoints use ${rules.ttls.includes("5m") ? "5m" : rules.ttls[0]}.`,
    });
  }
  if (options.ttl !== undefined) {
    for (const c of chosen) {
      if (c.origin === "user") continue;
      c.ttl = ttlFor(options.ttl, rules);
      c.ttlWhy = `${c.ttl} as requested`;
    }
  } else if (!prices || (!options.hints && !options.advisor)) {
    for (const c of chosen) {
      if (c.origin === "user") continue;
      c.ttl = "5m";
      c.ttlWhy = "5m (Bedrock's default; pass traffic hints to let cachepoint weigh 1h)";
    }
  } else {
    const offered = rules.ttls.filter((t) => t !== "30m");
    const ttlChoices: Ttl[] = offered.length ? [...offered].reverse() : ["5m"]; // shortest first
    const p = prices;
    const hints: TrafficHints = planHints ?? {};
    const observedAt =
      advisor && asked
        ? (i: number, role: CheckpointRole) =>
            advisor.observed(asked.steady[i]!, role, asked.family, asked.now)
        : undefined;
    // What a late next turn rewrites under the tail: from the last scheduled read point on.
    let tailRun = turn?.tailRun;
    /** Drops the scheduled read point: the answer and what came before it are at risk under the tail again. */
    const dropTurn = (at: number) => {
      chosen.splice(at, 1);
      if (turn && tailRun !== undefined) tailRun += turn.run;
    };
    // Drop what cannot pay back, then choose the TTLs of what is left together (they must be non-increasing).
    for (let again = true; again; ) {
      again = false;
      const segs = segmentsOf(
        chosen,
        cum,
        memory ? memory.alive : lm.history,
        hints,
        observedAt,
        tailRun,
        lm.userMessages,
      );
      for (let k = 0; k < chosen.length; k++) {
        const c = chosen[k]!;
        // History reads what the previous turn wrote; a turn read point is placed by its schedule.
        if (c.origin === "user" || c.role === "history" || c.role === "turn") continue;
        const none = segmentCost(segs[k]!, "none", hints, p);
        const best = Math.min(
          ...ttlChoices.map((t) => segmentCost(segs[k]!, t, hints, p) ?? Number.POSITIVE_INFINITY),
        );
        if (none !== undefined && Number.isFinite(best) && best >= none) {
          // A tail left with only the newest question under a scheduled read point: the read point goes instead,
          // and the tail is weighed again over the answer and the question (when most turns come back late, a 1h
          // tail there is what pays, and a read point under it would add nothing).
          const turnAt = c.role === "tail" ? chosen.findIndex((x) => x.role === "turn") : -1;
          if (turnAt >= 0 && turnAt < k) {
            dropTurn(turnAt);
            again = true;
            break;
          }
          const hit = hitRate(segs[k]!, "5m", hints);
          const at = layout.blocks[c.afterBlock]!.path;
          diagnostics.push({
            code: "not-worth-caching",
            severity: "info",
            message:
              segs[k]!.odds === lastTurnOdds
                ? `Skipped the ${c.role} checkpoint at ${at}: this is turn ${lm.userMessages}, ${options.hints?.maxTurns === undefined ? `where the advisor saw this application's conversations end (several stopped at turn ${hints.maxTurns} and none went further)` : `the last one hints.maxTurns (${hints.maxTurns}) allows`}, so no next turn will read it.`
                : `Skipped the ${c.role} checkpoint at ${at}: with an expected hit rate of ${((hit ?? 0) * 100).toFixed(0)}% its write premium on ${fmt(segs[k]!.tokens)} tokens would not be paid back (break-even ${breakEven(p, "5m").toFixed(2)} reads per write at 5m).`,
            path: at,
          });
          chosen.splice(k, 1);
          if (c.role === "tail") keepHistoryRead(chosen, historyRead, budget, rules.lookbackBlocks);
          again = true;
          break;
        }
      }
    }
    // Non-increasing assignments: the first `split` checkpoints get the longest TTL, the rest the shortest.
    const longest = ttlChoices[ttlChoices.length - 1]!;
    const shortest = ttlChoices[0]!;
    const cheapest = (segs: Segment[], firstSplit: number) => {
      let best: { ttls: Ttl[]; cost: number } | undefined;
      for (let split = firstSplit; split <= chosen.length; split++) {
        const ttls = chosen.map((c, k) => (c.origin === "user" ? c.ttl : k < split ? longest : shortest));
        if (ttls.some((t, k) => k > 0 && ttlRank(t) > ttlRank(ttls[k - 1]!))) continue;
        let cost = 0;
        for (let k = 0; k < chosen.length; k++)
          cost += segmentCost(segs[k]!, ttls[k]!, hints, p) ?? segs[k]!.tokens * p.cacheWrite[ttls[k]!];
        // The shortest split comes first. A longer TTL must save at least 0.5% of the prompt's uncached input
        // cost: near-ties (a busy prefix hits under either TTL) keep Bedrock's default and its cheaper first write.
        const tieMargin = best ? 0.005 * p.input * total : 0;
        if (!best || cost < best.cost - tieMargin) best = { ttls, cost };
      }
      return best;
    };
    let segs = segmentsOf(
      chosen,
      cum,
      memory ? memory.alive : lm.history,
      hints,
      observedAt,
      tailRun,
      lm.userMessages,
    );
    // A scheduled turn read point is 1h by construction: only splits that give it the longest TTL qualify. If none
    // can (a caller's 5m checkpoint before it), it goes.
    const turnAt = chosen.findIndex((c) => c.role === "turn");
    let best = cheapest(segs, turnAt + 1);
    if (!best && turnAt >= 0) {
      dropTurn(turnAt);
      segs = segmentsOf(
        chosen,
        cum,
        memory ? memory.alive : lm.history,
        hints,
        observedAt,
        tailRun,
        lm.userMessages,
      );
      best = cheapest(segs, 0);
    }
    // A turn hedge that did not get a longer TTL than the checkpoint after it (or has none after it: the tail was
    // dropped) only spends budget.
    for (let k = chosen.length - 1; k >= 0; k--) {
      if (chosen[k]!.role !== "turn" || !best) continue;
      if (k === chosen.length - 1 || ttlRank(best.ttls[k]!) <= ttlRank(best.ttls[k + 1]!)) {
        chosen.splice(k, 1);
        segs.splice(k, 1);
        best.ttls.splice(k, 1);
      }
    }
    const turnNow = chosen.findIndex((c) => c.role === "turn");
    chosen.forEach((c, k) => {
      if (c.origin === "user" || !best) return;
      c.ttl = best.ttls[k]!;
      if (c.role === "turn") {
        c.ttlWhy = `${c.ttl}, so it outlives a think time longer than the tail's ${shortest}`;
        return;
      }
      // Before a read point, a checkpoint that would be cheaper at the shortest TTL on its own is longer for order.
      const alone = (t: Ttl) => segmentCost(segs[k]!, t, hints, p) ?? Number.POSITIVE_INFINITY;
      if (k < turnNow && c.ttl === longest && alone(shortest) <= alone(longest)) {
        c.ttlWhy = `${c.ttl}, to keep TTLs non-increasing before the 1h read point (Bedrock requires longer TTLs first)`;
        return;
      }
      const hit = hitRate(segs[k]!, c.ttl, hints);
      c.ttlWhy =
        hit === undefined
          ? c.ttl === "5m"
            ? "5m (Bedrock's default; nothing observed or hinted about this prefix yet)"
            : `${c.ttl}, to keep TTLs non-increasing`
          : `${c.ttl}: expected hit rate ${(hit * 100).toFixed(0)}%, the cheapest TTL for this traffic${isConversation(segs[k]!.role) ? " (an expired conversation is rewritten from its last live checkpoint)" : ""}`;
    });
  }
  let floorTtl: Ttl | undefined;
  for (const c of chosen) {
    if (floorTtl !== undefined && ttlRank(c.ttl) > ttlRank(floorTtl)) {
      if (c.origin === "user") {
        const cp = layout.checkpoints[c.userIndex!]!;
        changes.push({
          action: "kept",
          path: cp.path,
          reason: `TTL lowered from ${c.ttl} to ${floorTtl}: Bedrock requires longer TTLs first`,
        });
        diagnostics.push({
          code: "ttl-order",
          severity: "warning",
          message: `The caller's ${c.ttl} checkpoint at ${cp.path} follows a ${floorTtl} one; lowered to ${floorTtl} so Bedrock accepts the request.`,
          path: cp.path,
        });
      } else
        c.ttlWhy = `${floorTtl}, lowered from ${c.ttl} because an earlier checkpoint has the shorter TTL and Bedrock requires longer TTLs first`;
      c.ttl = floorTtl;
    }
    if (floorTtl === undefined || ttlRank(c.ttl) < ttlRank(floorTtl)) floorTtl = c.ttl;
  }

  for (const c of chosen) {
    if (c.origin === "user") {
      const cp = layout.checkpoints[c.userIndex!]!;
      if (!changes.some((x) => x.path === cp.path))
        changes.push({ action: "kept", path: cp.path, reason: "valid for this model" });
    }
  }
  if (belowMin.length > 0) {
    const none = chosen.length === 0;
    diagnostics.push(
      none
        ? nothingToCache(total, name, min, margin)
        : {
            code: "below-min-tokens",
            severity: "info",
            message: `Not placed below ${name}'s ${fmt(min)}-token minimum${margin > 0 ? ` (+${Math.round(margin * 100)}% margin)` : ""}: ${belowMin.join("; ")}.`,
          },
    );
  }
  const planned = chosen.map((c) =>
    toPlanned(layout, cum, c.afterBlock, c.role, c.origin, c.ttl, c.ttlWhy ? `${c.why}; ${c.ttlWhy}` : c.why),
  );
  warnVolatile(layout, planned, diagnostics);
  return finish(m.id, strategy, planned, diagnostics, changes, total, m, options);
}

/**
 * Insertion sort by `afterBlock` (stable): a plan holds at most a handful of checkpoints, and
 * `Array.prototype.sort` allocates a work array on every call of the plugin.
 */
function sortByBlock(xs: { afterBlock: number }[]): void {
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i]!;
    let j = i - 1;
    while (j >= 0 && xs[j]!.afterBlock > x.afterBlock) {
      xs[j + 1] = xs[j]!;
      j--;
    }
    xs[j + 1] = x;
  }
}

/**
 * Warns about the first tools or system block, under one of the plan's checkpoints, that holds a value which looks
 * different on every request (the readers find it; see `volatileValue`). Such a prefix matches no later request:
 * every request pays the write premium and none reads, and Bedrock's response says nothing about why.
 */
function warnVolatile(
  layout: PromptLayout,
  checkpoints: readonly PlannedCheckpoint[],
  diagnostics: Diagnostic[],
) {
  let last = -1;
  for (const c of checkpoints) if (c.afterBlock > last) last = c.afterBlock;
  const blocks = layout.blocks;
  for (let i = 0; i <= last && i < blocks.length; i++) {
    const b = blocks[i]!;
    if (b.section === "messages") return; // only tools and system are read for such values
    const v = b.volatile;
    if (v === undefined) continue;
    const at = checkpoints.find((c) => c.afterBlock >= i)!;
    const what = v.kind === "time" ? "looks like the current time" : "looks like a request or session ID";
    diagnostics.push({
      code: "volatile-prefix",
      severity: "warning",
      path: b.path,
      message: `${b.path} holds "${v.value}", which ${what}: if it changes between requests, the prefix cached at ${at.path} matches no later request, so every request pays the write premium and none reads. Move values that change per request after the last checkpoint (into the user message)${v.kind === "time" ? ", or leave out the time (a date alone changes once a day)" : ""}.`,
    });
    return;
  }
}

function nothingToCache(total: number, name: string, min: number, margin: number): Diagnostic {
  return {
    code: "below-min-tokens",
    severity: "warning",
    message: `Nothing can be cached: the whole prompt is about ${fmt(total)} ${total === 1 ? "token" : "tokens"} and ${name} caches a prefix only from ${fmt(min)} tokens${margin > 0 ? ` (cachepoint waits for ${fmt(min * (1 + margin))} to allow for estimate error)` : ""}. No checkpoint was placed; grow the static prefix or use exact counts.`,
  };
}

/** The first block the static anchor (end of system, or of tools without a system) may move back to. */
function staticFloor(layout: PromptLayout, lm: ReturnType<typeof landmarks>): number {
  return lm.systemEnd >= 0 ? lm.systemEnd - countSection(layout, "system") + 1 : 0;
}

/** Whether a checkpoint may close some block from `target` back to `floor`. */
function closableIn(
  layout: PromptLayout,
  rules: ResolvedModel["rules"],
  target: number,
  floor: number,
): boolean {
  for (let i = target; i >= floor && i >= 0; i--) if (canCloseAt(layout.blocks[i]!, rules)) return true;
  return false;
}

function ttlFor(ttl: Ttl | undefined, rules: ResolvedModel["rules"]): Ttl {
  if (ttl !== undefined && rules.ttls.includes(ttl)) return ttl;
  return rules.ttls.includes("5m") ? "5m" : (rules.ttls[rules.ttls.length - 1] ?? "5m");
}

function breakEven(p: EffectivePrices, ttl: Ttl): number {
  const premium = p.cacheWrite[ttl] - p.input;
  return premium <= 0 ? 0 : premium / (p.input - p.cacheRead);
}

function countSection(layout: PromptLayout, s: Section): number {
  let n = 0;
  for (const b of layout.blocks) if (b.section === s) n++;
  return n;
}

function checkLayout(layout: PromptLayout): void {
  const raw = layout as unknown as { blocks?: unknown; checkpoints?: unknown } | null;
  if (!raw || !Array.isArray(raw.blocks) || !Array.isArray(raw.checkpoints)) {
    throw new CachepointError(
      "invalid-layout",
      "A PromptLayout needs `blocks` and `checkpoints` arrays; build one with an adapter (e.g. converseLayout).",
    );
  }
  let last = 0;
  const blocks = layout.blocks;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (!(b.tokens >= 0) || !Number.isFinite(b.tokens)) {
      throw new CachepointError(
        "invalid-layout",
        `Block ${i} (${b.path}) has token count ${String(b.tokens)}; counts must be finite numbers ≥ 0.`,
      );
    }
    const o =
      b.section === "tools" ? 0 : b.section === "system" ? 1 : b.section === "messages" ? 2 : undefined;
    if (o === undefined)
      throw new CachepointError(
        "invalid-layout",
        `Block ${i} (${b.path}) has unknown section "${String(b.section)}".`,
      );
    if (o < last)
      throw new CachepointError(
        "invalid-layout",
        `Block ${i} (${b.path}) is in ${b.section} after a later section; layouts are in processing order tools → system → messages.`,
      );
    last = o;
  }
  let prevAfter = -1;
  for (const cp of layout.checkpoints) {
    if (!Number.isInteger(cp.afterBlock) || cp.afterBlock < -1 || cp.afterBlock >= layout.blocks.length) {
      throw new CachepointError(
        "invalid-layout",
        `Checkpoint ${cp.path} closes block ${String(cp.afterBlock)}, which does not exist (the layout has ${layout.blocks.length} blocks).`,
      );
    }
    if (cp.afterBlock < prevAfter) {
      throw new CachepointError(
        "invalid-layout",
        `Checkpoint ${cp.path} is out of processing order; list checkpoints in the order they appear.`,
      );
    }
    prevAfter = cp.afterBlock;
  }
}

function finish(
  modelId: string,
  strategy: Strategy,
  checkpoints: PlannedCheckpoint[],
  diagnostics: Diagnostic[],
  changes: CheckpointChange[],
  totalTokens: number,
  model: ResolvedModel | undefined,
  options: PlanOptions,
): CachePlan {
  let estimate: PlanEstimate | undefined;
  if (model?.price) {
    estimate = estimateOf(
      checkpoints.filter((c) => c.afterBlock >= 0),
      totalTokens,
      effectivePrices(model),
      options.expectedOutputTokens ?? 0,
    );
  }
  const hasErrors = diagnostics.some((d) => d.severity === "error");
  const plan: CachePlan = {
    modelId,
    strategy,
    checkpoints,
    diagnostics,
    changes,
    totalTokens,
    cachedTokens: checkpoints.reduce((mx, c) => Math.max(mx, c.prefixTokens), 0),
    estimate,
    hasErrors,
  };
  if (options.strict && hasErrors) {
    const first = diagnostics.find((d) => d.severity === "error")!;
    throw new CachepointError("strict-mode", `${first.code}: ${first.message}`, { details: { plan } });
  }
  return plan;
}
