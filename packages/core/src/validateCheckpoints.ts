import type { Diagnostic } from "./Diagnostic.js";
import { formatInt } from "./internal/formatInt.js";
import { forbiddenAfter } from "./internal/placement.js";
import type { ModelRules } from "./ModelRules.js";
import { ttlRank } from "./ModelRules.js";
import type { Ttl } from "./modelTypes.js";
import type { ExistingCheckpoint, PromptLayout } from "./PromptLayout.js";

/** What is wrong with one existing checkpoint. @public */
export interface CheckpointIssue {
  /** Index into `layout.checkpoints`. */
  readonly index: number;
  readonly diagnostic: Diagnostic;
}

/** Cumulative token counts: `prefixTokens(cum, i)` = tokens of blocks 0..i. @internal */
export function cumulativeTokens(layout: PromptLayout): Float64Array {
  const cum = new Float64Array(layout.blocks.length);
  let sum = 0;
  for (let i = 0; i < layout.blocks.length; i++) {
    sum += layout.blocks[i]!.tokens;
    cum[i] = sum;
  }
  return cum;
}

const fmt = formatInt;

/** The effective TTL Bedrock applies to a checkpoint (no `ttl` = 5m). @internal */
export function effectiveTtl(cp: ExistingCheckpoint): Ttl {
  return cp.ttl ?? "5m";
}

/**
 * Checks the checkpoints a request already carries against a model's rules, the way Bedrock would:
 * errors for what Bedrock rejects (400), warnings for what it accepts but does not cache.
 * Checkpoints are taken in processing order (tools → system → messages), which is layout order.
 * @public
 */
export function validateCheckpoints(
  layout: PromptLayout,
  rules: ModelRules,
  options: { modelName?: string; minTokensMargin?: number; cum?: Float64Array } = {},
): CheckpointIssue[] {
  const issues: CheckpointIssue[] = [];
  if (layout.checkpoints.length === 0) return issues; // the usual request: nothing to check
  const cum = options.cum ?? cumulativeTokens(layout);
  const margin = options.minTokensMargin ?? 0;
  const name = options.modelName ?? "this model";
  const min = rules.minTokensPerCheckpoint;
  const add = (index: number, d: Diagnostic) => issues.push({ index, diagnostic: d });
  let lastTtl: Ttl | undefined;
  let lastTtlPath = "";
  layout.checkpoints.forEach((cp, index) => {
    const path = cp.path;
    if (index >= rules.maxCheckpoints) {
      add(index, {
        code: "too-many-checkpoints",
        severity: "error",
        message: `Checkpoint ${index + 1} of ${layout.checkpoints.length}: ${name} allows at most ${rules.maxCheckpoints} per request (tools, system and messages together) and Bedrock rejects the request. Remove ${layout.checkpoints.length - rules.maxCheckpoints}, or let the planner choose.`,
        path,
      });
    }
    if (!rules.cacheableSections.has(cp.section)) {
      add(index, {
        code: "field-unsupported",
        severity: "error",
        message:
          cp.section === "tools"
            ? `${name} cannot cache tool definitions: Bedrock rejects a cachePoint in toolConfig.tools ("extraneous key [cachePoint] is not permitted"). Remove it; a checkpoint in system or messages still caches the tools as part of the prefix.`
            : `${name} cannot cache the ${cp.section} section; remove this checkpoint.`,
        path,
      });
    }
    if (cp.inside !== undefined) {
      add(index, {
        code: "placement-forbidden",
        severity: "error",
        message:
          cp.inside === "toolResult"
            ? "A cache point inside toolResult content is not part of Bedrock's schema and the request is rejected; put it after the toolResult block in the message's content."
            : cp.inside === "reasoning"
              ? 'A cache point cannot be set on a reasoning/thinking block ("Extra inputs are not permitted"); put it on a later text block.'
              : "Citation sub-blocks cannot be cached directly; put the checkpoint after the top-level document block.",
        path,
      });
    } else if (cp.afterBlock < 0) {
      add(index, {
        code: "placement-forbidden",
        severity: "error",
        message:
          "This checkpoint has nothing before it to cache; Bedrock rejects such a request with a 400. Move it after the content it should cache.",
        path,
      });
    } else {
      const block = layout.blocks[cp.afterBlock]!;
      const why = forbiddenAfter(block, rules);
      if (why !== undefined)
        add(index, {
          code: "placement-forbidden",
          severity: "error",
          message: `Checkpoint at ${path}: ${why}.`,
          path,
        });
    }
    if (cp.invalidTtl !== undefined) {
      add(index, {
        code: "ttl-unsupported",
        severity: "error",
        message: `TTL "${cp.invalidTtl}" is not one Bedrock accepts; use "5m"${rules.ttls.includes("1h") ? ' or "1h"' : ""}.`,
        path,
      });
    } else if (cp.ttl !== undefined && !rules.ttls.includes(cp.ttl)) {
      const nova = rules.checkpointSyntax.invokeModel === "nova-cachePoint-key";
      add(index, {
        code: "ttl-unsupported",
        severity: "error",
        message: nova
          ? `${name} does not offer a ${cp.ttl} TTL ("Extended TTL prompt caching is only supported for Anthropic models"); drop the ttl to use the 5-minute default.`
          : `${name} does not offer a ${cp.ttl} TTL on Bedrock (only ${rules.ttls.join(", ") || "none"}); Bedrock rejects the ttl field ("Extra inputs are not permitted"). Drop it to use the 5-minute default.`,
        path,
      });
    }
    const ttl = effectiveTtl(cp);
    if (lastTtl !== undefined && ttlRank(ttl) > ttlRank(lastTtl)) {
      add(index, {
        code: "ttl-order",
        severity: "error",
        message: `A ${ttl} checkpoint comes after a ${lastTtl} one (${lastTtlPath}); Bedrock requires longer TTLs first in processing order (tools → system → messages) and rejects the request. Give the earlier checkpoint the longer TTL or this one the shorter.`,
        path,
      });
    }
    if (lastTtl === undefined || ttlRank(ttl) < ttlRank(lastTtl)) {
      lastTtl = ttl;
      lastTtlPath = path;
    }
    if (cp.afterBlock >= 0 && cp.inside === undefined) {
      const tokens = cum[cp.afterBlock]!;
      if (tokens < min) {
        add(index, {
          code: "below-min-tokens",
          severity: "warning",
          message: `The prefix at ${path} is about ${fmt(tokens)} tokens, below ${name}'s minimum of ${fmt(min)}: Bedrock accepts the request but caches nothing here (both cache counters stay 0). Move the checkpoint later or add content before it.`,
          path,
        });
      } else if (tokens < min * (1 + margin)) {
        add(index, {
          code: "near-min-tokens",
          severity: "warning",
          message: `The prefix at ${path} is about ${fmt(tokens)} tokens, within the estimate's error of ${name}'s ${fmt(min)}-token minimum; it may not be cached. Use exact counts (CountTokens) or move the checkpoint later.`,
          path,
        });
      }
      if (rules.maxCachedTokens !== null && tokens > rules.maxCachedTokens) {
        add(index, {
          code: "max-cached-tokens",
          severity: "warning",
          message: `The prefix at ${path} is about ${fmt(tokens)} tokens, over ${name}'s ${fmt(rules.maxCachedTokens)}-token caching maximum; move the checkpoint earlier so the cached prefix fits.`,
          path,
        });
      }
    }
  });
  return issues;
}
