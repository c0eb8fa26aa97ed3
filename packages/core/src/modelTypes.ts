/**
 * Types of the Bedrock prompt-caching model table (`shared/data/bedrock-models.json`) and of the rules the
 * planner, pricing and simulator read from it.
 */

/** A cache time-to-live Bedrock accepts. `30m` is GPT-5.6's Responses-API TTL. @public */
export type Ttl = "5m" | "1h" | "30m";

/** The prompt sections Bedrock processes, in this order, when it builds a cached prefix. @public */
export type Section = "tools" | "system" | "messages";

/** Placements Bedrock rejects for a model (see `bedrock-facts.md` §3.6). @public */
export type ForbiddenPlacement =
  | "after-reasoning"
  | "after-non-pdf-document"
  | "inside-tool-result"
  | "tools"
  | "after-tool-result";

/** How a price row applies to a model ID form. @public */
export type PriceRoute = "global" | "geo" | "in-region" | "govcloud" | "single";

/** One price point of a model, USD per 1M tokens. `null` means the TTL is not offered. @public */
export interface PriceRow {
  route: PriceRoute;
  /** Inference-profile prefixes this row applies to; empty on a `geo` row means "any geo prefix". */
  prefixes: string[];
  inputPer1M: number;
  outputPer1M: number;
  cacheWrite5mPer1M?: number | null;
  cacheWrite1hPer1M?: number | null;
  cacheWrite30mPer1M?: number | null;
  cacheReadPer1M: number;
  derived?: boolean;
  derivedFields?: string[];
  note?: string;
}

/** Caching rules of one model, exactly as the table states them. @public */
export interface CachingRules {
  explicit: boolean;
  implicit: boolean | null;
  /** Minimum cumulative prefix (tools → system → messages) at each checkpoint. */
  minTokensPerCheckpoint: number;
  minTokensConflicts?: unknown[];
  /** `null` when the sources do not say; the registry then assumes 4 and says so. */
  maxCheckpoints: number | null;
  cacheableFields: string[];
  ttls: Ttl[];
  /** Nova caps what one request may cache; `null` = no stated cap. */
  maxCachedTokens: number | null;
  /** Claude's automatic lookback window in blocks; `null` = reads only at the checkpoint itself. */
  lookbackBlocks: number | null;
  forbiddenPlacements: ForbiddenPlacement[];
  checkpointSyntax: {
    converse: "cachePoint-block" | null;
    invokeModel: "anthropic-cache_control" | "nova-cachePoint-key" | null;
  };
}

/** One row of the model table. @public */
export interface ModelEntry {
  id: string;
  aliases: string[];
  name: string;
  provider: string;
  status: "ga" | "preview" | "gated" | "legacy" | "eol" | string;
  eolDate?: string | null;
  caching: CachingRules;
  pricing: PriceRow[];
  contextWindow?: number | null;
  conflicts?: unknown[];
  notes?: string;
  sources?: string[];
}

/** The whole table, with where and when it came from. @public */
export interface ModelTable {
  asOf: string;
  currency: string;
  notes?: string;
  profilePrefixes: string[];
  models: ModelEntry[];
}

/** A deep-partial override of one model entry; `caching` and `pricing` merge field by field. @public */
export interface ModelOverride {
  aliases?: string[];
  name?: string;
  provider?: string;
  status?: string;
  caching?: Partial<CachingRules>;
  /** Replaces the price rows entirely when given. */
  pricing?: PriceRow[];
  contextWindow?: number | null;
  notes?: string;
}
