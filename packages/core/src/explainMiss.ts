import { CachepointError } from "./CachepointError.js";
import { chainFingerprint, fingerprint } from "./fingerprint.js";
import { formatInt } from "./internal/formatInt.js";
import { ttlMs } from "./ModelRules.js";
import type { Section } from "./modelTypes.js";
import type { PromptLayout } from "./PromptLayout.js";
import { type ResolvedModel, resolveModel } from "./resolveModel.js";
import { cumulativeTokens, effectiveTtl } from "./validateCheckpoints.js";

/** Why the second request could not read (all of) what the first wrote. @public */
export type MissReason =
  | "hit"
  | "tools-changed"
  | "system-changed"
  | "content-changed"
  | "settings-changed"
  | "beyond-lookback"
  | "below-minimum"
  | "no-checkpoint"
  | "ttl-expired"
  | "different-model"
  | "different-account"
  | "different-region";

/** Where and when a request was sent, for the reasons that are not in the prompt. @public */
export interface RequestContext {
  readonly modelId?: string;
  readonly accountId?: string;
  readonly region?: string;
  /** Epoch milliseconds the request was sent. */
  readonly sentAt?: number;
}

/** Options for {@link explainMiss}. @public */
export interface ExplainMissOptions {
  /** The model both were sent to (rules for minimum and lookback). Defaults to `next.modelId`. */
  model?: ResolvedModel | string;
  previous?: RequestContext;
  next?: RequestContext;
}

/** The answer of {@link explainMiss}. @public */
export interface MissExplanation {
  /** True when the second request reads everything up to its last checkpoint. */
  readonly hit: boolean;
  readonly reason: MissReason;
  /** Tokens the second request can read from what the first wrote (0 on a full miss). */
  readonly readableTokens: number;
  /** Tokens up to the second request's last checkpoint. */
  readonly cacheableTokens: number;
  /** The first block where the two prompts differ, if they differ. */
  readonly firstDifference?: { readonly index: number; readonly path: string; readonly section: Section };
  readonly message: string;
}

const fmt = formatInt;

function blockKey(layout: PromptLayout, i: number): string {
  const b = layout.blocks[i]!;
  // Without a fingerprint only the shape can be compared; adapters always set one.
  return b.fingerprint ?? fingerprint(`${b.section}|${b.kind}|${b.tokens}`);
}

/**
 * Explains why `next` missed the cache entries `previous` wrote: the first block where they diverge and
 * what that means (tools, system or message content changed; a setting such as tool_choice changed; the
 * shared prefix lies beyond the lookback window; a prefix below the minimum; TTL expired; another model,
 * account or Region). Both layouts are taken as sent, with their checkpoints.
 * @example
 * const why = explainMiss(converseLayout(first, model), converseLayout(second, model), { model });
 * if (!why.hit) console.log(why.reason, why.message);
 * @public
 */
export function explainMiss(
  previous: PromptLayout,
  next: PromptLayout,
  options: ExplainMissOptions = {},
): MissExplanation {
  const pc = options.previous ?? {};
  const nc = options.next ?? {};
  const modelArg = options.model ?? nc.modelId ?? pc.modelId;
  if (modelArg === undefined) {
    throw new CachepointError(
      "invalid-option",
      "explainMiss needs the model (options.model or next.modelId) to know its minimum and lookback.",
    );
  }
  const model = typeof modelArg === "string" ? resolveModel(modelArg) : modelArg;
  const rules = model.rules;
  const ncum = cumulativeTokens(next);
  const pcum = cumulativeTokens(previous);
  const nextPoints = next.checkpoints.filter(
    (c) => c.afterBlock >= 0 && ncum[c.afterBlock]! >= rules.minTokensPerCheckpoint,
  );
  const cacheableTokens = nextPoints.reduce((m, c) => Math.max(m, ncum[c.afterBlock]!), 0);
  const miss = (
    reason: MissReason,
    message: string,
    extra: Partial<MissExplanation> = {},
  ): MissExplanation => ({
    hit: false,
    reason,
    readableTokens: 0,
    cacheableTokens,
    message,
    ...extra,
  });

  if (pc.modelId !== undefined && nc.modelId !== undefined) {
    const a = resolveModel(pc.modelId);
    const b = resolveModel(nc.modelId);
    if (a.id !== b.id) {
      return miss(
        "different-model",
        `Cache entries are per model: the first request went to ${a.id}, the second to ${b.id}. Failing over to another model always misses.`,
      );
    }
  }
  if (pc.accountId !== undefined && nc.accountId !== undefined && pc.accountId !== nc.accountId) {
    return miss(
      "different-account",
      `Cache entries are private to an AWS account: ${pc.accountId} wrote, ${nc.accountId} read.`,
    );
  }
  if (pc.region !== undefined && nc.region !== undefined && pc.region !== nc.region) {
    return miss(
      "different-region",
      `Cache entries are per Region: ${pc.region} wrote, ${nc.region} read. Cross-Region inference can route the same profile to different Regions, which shows up as extra writes.`,
    );
  }
  if (nextPoints.length === 0) {
    const any = next.checkpoints.length > 0;
    return miss(
      any ? "below-minimum" : "no-checkpoint",
      any
        ? `The second request's checkpoints are all below ${model.name}'s ${fmt(rules.minTokensPerCheckpoint)}-token minimum, so it neither reads nor writes.`
        : "The second request has no checkpoint, so Bedrock does not look anything up for it. Add one (or let the planner place them).",
    );
  }

  // Entries the first request wrote: one per checkpoint at or above the minimum, keyed by chained prefix hash.
  const prevEntries: { at: number; key: string; ttlMs: number }[] = [];
  const pKeys: string[] = [];
  let h = "";
  for (let i = 0; i < previous.blocks.length; i++) {
    h = chainFingerprint(h, blockKey(previous, i));
    pKeys.push(h);
  }
  for (const c of previous.checkpoints) {
    if (c.afterBlock >= 0 && pcum[c.afterBlock]! >= rules.minTokensPerCheckpoint) {
      prevEntries.push({ at: c.afterBlock, key: pKeys[c.afterBlock]!, ttlMs: ttlMs(effectiveTtl(c)) });
    }
  }
  if (prevEntries.length === 0) {
    const any = previous.checkpoints.length > 0;
    return miss(
      any ? "below-minimum" : "no-checkpoint",
      any
        ? `The first request's checkpoints are all below ${model.name}'s ${fmt(rules.minTokensPerCheckpoint)}-token minimum, so it wrote nothing to read.`
        : "The first request had no checkpoint, so it wrote nothing to the cache.",
    );
  }
  const elapsed = pc.sentAt !== undefined && nc.sentAt !== undefined ? nc.sentAt - pc.sentAt : undefined;
  const alive = prevEntries.filter((e) => elapsed === undefined || elapsed < e.ttlMs);
  if (alive.length === 0) {
    const longest = Math.max(...prevEntries.map((e) => e.ttlMs));
    return miss(
      "ttl-expired",
      `${fmt(elapsed! / 1000)} s passed between the requests, longer than the entries' TTL (${longest / 60_000} min), and no request refreshed them. Send requests within the TTL, or use a 1h TTL if the model offers it.`,
    );
  }

  // First difference between the prompts, and the settings that invalidate the messages section.
  let d = 0;
  const n = Math.min(previous.blocks.length, next.blocks.length);
  const nKeys: string[] = [];
  h = "";
  for (let i = 0; i < next.blocks.length; i++) {
    h = chainFingerprint(h, blockKey(next, i));
    nKeys.push(h);
  }
  while (d < n && pKeys[d] === nKeys[d]) d++;
  const changedSettings = settingsDiff(previous, next);
  const msgStart = next.blocks.findIndex((b) => b.section === "messages");
  let settingsCut = false;
  if (changedSettings.length > 0 && msgStart >= 0 && msgStart < d) {
    d = msgStart;
    settingsCut = true;
  }
  const nextEntryKeys = new Map<string, number>();
  for (const e of alive) if (e.at < d) nextEntryKeys.set(e.key, e.at);

  let readable = 0;
  for (const c of nextPoints) {
    for (let p = c.afterBlock; p > c.afterBlock - rules.lookbackBlocks && p >= 0; p--) {
      if (p < d && nextEntryKeys.has(nKeys[p]!)) {
        readable = Math.max(readable, ncum[p]!);
        break;
      }
    }
  }
  const diff =
    d < next.blocks.length
      ? { index: d, path: next.blocks[d]!.path, section: next.blocks[d]!.section }
      : undefined;
  if (readable >= cacheableTokens && readable > 0) {
    return {
      hit: true,
      reason: "hit",
      readableTokens: readable,
      cacheableTokens,
      message: `The second request reads its whole ${fmt(readable)}-token cacheable prefix from the first request's entries.`,
      ...(diff && { firstDifference: diff }),
    };
  }
  const sharedEntry = alive.some((e) => e.at < d);
  let reason: MissReason;
  let why: string;
  if (settingsCut) {
    reason = "settings-changed";
    why = `request settings that invalidate the messages cache changed (${changedSettings.join(", ")}), so nothing after the system prompt could be read`;
  } else if (!diff) {
    reason = "beyond-lookback";
    why =
      "the prompts agree but no checkpoint of the second request lies on or within the lookback of an entry the first wrote";
  } else if (sharedEntry && readable === 0) {
    // Some entry lies in the common prefix, but no checkpoint of the second request could reach it.
    const reach = rules.lookbackBlocks;
    reason = "beyond-lookback";
    why = `the shared prefix ends at block ${d} (${diff.path}), but the second request's checkpoints lie more than ${reach} block${reach === 1 ? "" : "s"} after the entries the first wrote, so the lookup never reaches them. Add a checkpoint closer to where the previous request ended`;
  } else {
    reason =
      diff.section === "tools"
        ? "tools-changed"
        : diff.section === "system"
          ? "system-changed"
          : "content-changed";
    // The same block but for a value the readers found to change per request (the time, a UUID): name it.
    const was = previous.blocks[d];
    const now = next.blocks[d];
    const moved =
      was?.volatile &&
      now?.volatile &&
      was.steadyFingerprint !== undefined &&
      was.steadyFingerprint === now.steadyFingerprint
        ? `the ${diff.section === "tools" ? "tool definition" : "system prompt"} at ${diff.path} differs only in a value that changes per request ("${was.volatile.value}", then "${now.volatile.value}"), which breaks every later entry: move it after the last checkpoint (into the user message)`
        : undefined;
    const what =
      diff.section === "tools"
        ? "the tool definitions changed (names, descriptions, schemas or their order)"
        : diff.section === "system"
          ? "the system prompt changed (a timestamp, a user name or another per-request value in it breaks every later entry)"
          : "message content changed";
    why = moved ?? `${what} at ${diff.path}, before the first entry the first request wrote`;
  }
  const partial = readable > 0;
  return {
    hit: false,
    reason,
    readableTokens: readable,
    cacheableTokens,
    message: `${partial ? `Partial hit: ${fmt(readable)} of ${fmt(cacheableTokens)} tokens read; the rest missed because ` : "Miss: "}${why}.`,
    ...(diff && { firstDifference: diff }),
  };
}

function settingsDiff(a: PromptLayout, b: PromptLayout): string[] {
  const sa = a.settings ?? {};
  const sb = b.settings ?? {};
  const keys = new Set([...Object.keys(sa), ...Object.keys(sb)]);
  return [...keys].filter((k) => sa[k] !== sb[k]);
}
