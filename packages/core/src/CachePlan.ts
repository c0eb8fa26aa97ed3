import type { Diagnostic } from "./Diagnostic.js";
import type { Section, Ttl } from "./modelTypes.js";

/** Planning strategies. @public */
export type Strategy = "auto" | "static-prefix" | "conversation" | "manual";

/** Why a checkpoint is where it is. @public */
export type CheckpointRole =
  /** End of the tool definitions. */
  | "tools"
  /** End of the system prompt (tools + system). */
  | "system"
  /** A large stable block at the start of the newest turn (a document before a question). */
  | "content"
  /** Where the previous request of this conversation ended: this request reads it. */
  | "history"
  /** The end of this request: the next turn reads it. */
  | "tail"
  /**
   * The end of the previous answer, with a longer TTL than the tail: a next turn that comes back after the
   * tail expired still reads the conversation up to here and rewrites only the newest message.
   */
  | "turn"
  /** Placed by the caller and kept. */
  | "user";

/** One checkpoint of a plan. @public */
export interface PlannedCheckpoint {
  /** Index of the layout block it closes. */
  readonly afterBlock: number;
  readonly section: Section;
  /** Path of the block it closes. */
  readonly path: string;
  readonly ttl: Ttl;
  /** Cumulative tokens from the start of the prompt through `afterBlock`. */
  readonly prefixTokens: number;
  readonly role: CheckpointRole;
  readonly origin: "planned" | "user";
  /** One sentence: why here, why this TTL. */
  readonly reason: string;
}

/** What happened to a checkpoint the request already had. @public */
export interface CheckpointChange {
  readonly action: "kept" | "moved" | "removed";
  /** Path of the original checkpoint. */
  readonly path: string;
  /** For `moved`: the block it now closes. */
  readonly toAfterBlock?: number;
  readonly reason: string;
}

/** Expected cost of the planned request (input side only unless `expectedOutputTokens` was given). @public */
export interface PlanEstimate {
  /** Cold cache: every checkpoint prefix is written. */
  readonly coldUsd: number;
  /** Warm cache: every checkpoint prefix is read. */
  readonly warmUsd: number;
  readonly uncachedUsd: number;
  /** Reads within the TTL that pay back this request's write premiums. */
  readonly breakEvenReads: number;
}

/** The planner's answer: where checkpoints go, why, and everything it noticed. @public */
export interface CachePlan {
  readonly modelId: string;
  readonly strategy: Strategy;
  readonly checkpoints: readonly PlannedCheckpoint[];
  readonly diagnostics: readonly Diagnostic[];
  readonly changes: readonly CheckpointChange[];
  readonly totalTokens: number;
  /** Tokens up to the last checkpoint (what a warm cache serves). */
  readonly cachedTokens: number;
  /** Undefined when the model has no price for this ID form. */
  readonly estimate: PlanEstimate | undefined;
  /** True when a diagnostic of severity `error` remains (Bedrock would reject the request as planned). */
  readonly hasErrors: boolean;
}
