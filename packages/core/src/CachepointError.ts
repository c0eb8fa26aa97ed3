/**
 * Why cachepoint refused something. Each reason names the fix in the error message.
 * @public
 */
export type CachepointErrorReason =
  /** The model ID is not in the registry (message names the closest known IDs). */
  | "unknown-model"
  /** An application-inference-profile or provisioned-model ARN with no alias mapping. */
  | "opaque-model-arn"
  /** A model ID or ARN that is not shaped like any Bedrock identifier. */
  | "invalid-model-id"
  /** An option passed to a cachepoint function is out of range or of the wrong type. */
  | "invalid-option"
  /** A `PromptLayout` that breaks its own invariants (e.g. a checkpoint after a block that does not exist). */
  | "invalid-layout"
  /** A request body cachepoint cannot read. */
  | "malformed-request"
  /** Strict mode turned an error diagnostic into a thrown error. */
  | "strict-mode"
  /** A usage record or price is missing what a computation needs. */
  | "missing-price"
  /** The AWS SDK or transport failed; `cause` holds the original error. */
  | "transport";

const brand: unique symbol = Symbol.for("@cachepoint/error") as never;

/** Options for {@link CachepointError}. @public */
export interface CachepointErrorOptions {
  cause?: unknown;
  /** Structured detail for programs (e.g. `{ suggestions: [...] }` for `unknown-model`). */
  details?: Readonly<Record<string, unknown>>;
}

/**
 * The one error type cachepoint throws. Check `reason` to branch; `cause` keeps the original error.
 * @example
 * try { resolveModel("anthropic.claude-sonet-4-6") } catch (e) {
 *   if (isCachepointError(e) && e.reason === "unknown-model") console.log(e.details?.suggestions)
 * }
 * @public
 */
export class CachepointError extends Error {
  readonly reason: CachepointErrorReason;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  /** Brand shared by every copy of this package, so `isCachepointError` works across two installs. */
  readonly [brand] = true;

  constructor(reason: CachepointErrorReason, message: string, options: CachepointErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CachepointError";
    this.reason = reason;
    this.details = options.details;
  }
}

/**
 * True for any `CachepointError`, including one thrown by another installed copy of cachepoint.
 * @public
 */
export function isCachepointError(value: unknown): value is CachepointError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
