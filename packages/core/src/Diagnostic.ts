/**
 * Stable diagnostic codes. Programs branch on these; messages may change.
 * @public
 */
export type DiagnosticCode =
  /** A checkpoint's cumulative prefix is below the model's minimum: Bedrock silently caches nothing. */
  | "below-min-tokens"
  /** A prefix only just clears the minimum; a token-count error could put it below. */
  | "near-min-tokens"
  /** More checkpoints than the model allows: Bedrock rejects the request. */
  | "too-many-checkpoints"
  /** A longer TTL after a shorter one in processing order: Bedrock rejects the request. */
  | "ttl-order"
  /** A TTL the model does not offer: Bedrock rejects the request. */
  | "ttl-unsupported"
  /** A checkpoint in a section the model cannot cache (e.g. tools on Nova): Bedrock rejects the request. */
  | "field-unsupported"
  /** A checkpoint where Bedrock rejects one (after reasoning, after a non-PDF document, inside a toolResult, after a Nova toolResult, on empty text, with nothing before it). */
  | "placement-forbidden"
  /** A prefix over the model's cacheable maximum (Nova: 20K tokens). */
  | "max-cached-tokens"
  /** The model does not accept explicit checkpoints. */
  | "model-unsupported"
  /** The model ID is not in the registry. */
  | "unknown-model"
  /** A legacy text-completion body (`prompt: "Human: …"`): caching needs the Messages API. */
  | "legacy-text-completion"
  /** A request body cachepoint cannot read; passed through untouched. */
  | "unknown-body-format"
  /** A request Bedrock would reject as malformed (e.g. a content block that sets two union members). */
  | "malformed-request"
  /** A checkpoint the strategy decided not to place because its write premium would not pay back. */
  | "not-worth-caching"
  /** The table states no checkpoint maximum for this model; 4 was assumed. */
  | "assumed-limit"
  /** Exact counts were asked for but CountTokens was unavailable; the plan uses estimates. */
  | "estimated-counts"
  /** A cached tools or system block holds a value that looks per-request (the time, a UUID): if it changes, nothing is ever read. */
  | "volatile-prefix";

/** `error`: Bedrock would reject the request as sent. `warning`: it runs but caching does less than asked. `info`: a decision. @public */
export type Severity = "error" | "warning" | "info";

/** One finding of the planner or an adapter, with what to do about it. @public */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** What is wrong and how to fix it, in one or two sentences. */
  readonly message: string;
  /** Where in the request (a layout path), when it concerns one place. */
  readonly path?: string;
}
