import type { ForbiddenPlacement, ModelEntry, Section, Ttl } from "./modelTypes.js";

/**
 * The caching rules of one model in the shape the planner and simulator use: sets instead of arrays,
 * unknowns resolved to documented assumptions.
 * @public
 */
export interface ModelRules {
  /** Bedrock accepts explicit checkpoints for this model through Converse / InvokeModel. */
  readonly supportsExplicitCaching: boolean;
  /** Why not, when `supportsExplicitCaching` is false. */
  readonly unsupportedReason: string | undefined;
  readonly minTokensPerCheckpoint: number;
  readonly maxCheckpoints: number;
  /** False when the table does not state a maximum and 4 (every documented model's value) is assumed. */
  readonly maxCheckpointsKnown: boolean;
  readonly cacheableSections: ReadonlySet<Section>;
  /** TTLs Bedrock accepts for this model, longest first. */
  readonly ttls: readonly Ttl[];
  readonly maxCachedTokens: number | null;
  /** Blocks searched backwards from each checkpoint for an earlier entry (Claude: 20); 1 = the checkpoint only. */
  readonly lookbackBlocks: number;
  readonly forbiddenPlacements: ReadonlySet<ForbiddenPlacement>;
  readonly checkpointSyntax: ModelEntry["caching"]["checkpointSyntax"];
}

const ttlOrder: Record<Ttl, number> = { "1h": 3, "30m": 2, "5m": 1 };
const sections: readonly Section[] = ["tools", "system", "messages"];
/** Every model with a documented maximum allows 4; used only when the table says null (Nova 2 Lite). */
const assumedMaxCheckpoints = 4;

/** Derives {@link ModelRules} from a table entry. @internal */
export function rulesOf(entry: ModelEntry): ModelRules {
  const c = entry.caching;
  const syntaxless = c.checkpointSyntax.converse === null && c.checkpointSyntax.invokeModel === null;
  const supports = c.explicit && !syntaxless;
  let unsupportedReason: string | undefined;
  if (!c.explicit) {
    unsupportedReason = `${entry.name} does not accept explicit prompt-caching checkpoints on Bedrock${entry.notes ? ` (${entry.notes})` : ""}`;
  } else if (syntaxless)
    unsupportedReason = `${entry.name} caches through the OpenAI Responses API (prompt_cache_breakpoint), not Converse cachePoint or InvokeModel cache_control`;
  return {
    supportsExplicitCaching: supports,
    unsupportedReason,
    minTokensPerCheckpoint: c.minTokensPerCheckpoint,
    maxCheckpoints: c.maxCheckpoints ?? assumedMaxCheckpoints,
    maxCheckpointsKnown: c.maxCheckpoints !== null,
    cacheableSections: new Set(sections.filter((s) => c.cacheableFields.includes(s))),
    ttls: [...c.ttls].sort((a, b) => ttlOrder[b] - ttlOrder[a]),
    maxCachedTokens: c.maxCachedTokens,
    lookbackBlocks: Math.max(1, c.lookbackBlocks ?? 1),
    forbiddenPlacements: new Set(c.forbiddenPlacements),
    checkpointSyntax: c.checkpointSyntax,
  };
}

/** Longer TTLs rank higher; Bedrock requires ranks to be non-increasing in processing order. @internal */
export function ttlRank(ttl: Ttl): number {
  return ttlOrder[ttl];
}

/** TTL in milliseconds. @public */
export function ttlMs(ttl: Ttl): number {
  return ttl === "1h" ? 3_600_000 : ttl === "30m" ? 1_800_000 : 300_000;
}
