import type { CachePlan, ModelRules } from "@cachepoint/core";
/** Text that replaces the body's characters from `at` to `end` (exclusive; `end === at` inserts). */
export interface TextEdit {
  readonly at: number;
  readonly end: number;
  readonly text: string;
}
/**
 * How a plan is written into the JSON text of an InvokeModel body, as edits, so the body is written without
 * re-serialising it. Anthropic Messages bodies: each checkpoint is `"cache_control":{…}` before the closing brace of
 * the block it closes, and a string `system` or message `content` it closes is wrapped into a one-block list around
 * the original string literal. Nova bodies: a `"cachePoint":{…}` key on the content object it closes. A block's own
 * checkpoint that the plan keeps (same TTL) stays as it was, one whose TTL changes gets the new value in place, and
 * one the plan drops is removed with its comma (for Anthropic, also those inside a tool result's content, which Nova
 * leaves). Everything else keeps its bytes, and `JSON.parse` of the result equals what {@link applyInvokeModelPlan}
 * builds.
 *
 * `ownCheckpoints` says whether the reader found any checkpoint in the body; without one, blocks are skipped without
 * reading their members. Only the paths the readers produce (`tools/2`, `toolConfig/tools/2`, `system`, `system/0`,
 * `messages/3/content`, `messages/3/content/1`); anything else (escaped or repeated keys, a block that is not an
 * object, a tool result nested in a tool result's content) returns undefined and the caller re-serialises instead.
 * @internal
 */
export declare function bodyEdits(
  format: "anthropic" | "nova",
  body: string | Uint8Array,
  plan: CachePlan,
  rules: ModelRules,
  ownCheckpoints: boolean,
): TextEdit[] | undefined;
/** The text with the edits made (sorted by position, none overlapping). */
export declare function editText(text: string, edits: readonly TextEdit[]): string;
/**
 * The bytes with the edits made at byte positions: edits found in the bytes themselves, or in the text of an all-ASCII
 * body (one byte per character, so its text positions are byte positions). The body's bytes are copied as they are,
 * never re-encoded.
 */
export declare function editBytes(bytes: Uint8Array, edits: readonly TextEdit[]): Uint8Array;
/**
 * The UTF-8 bytes of the text with the edits made, encoded straight into one buffer, when the text is all ASCII;
 * undefined otherwise (found while encoding: a character that takes more than a byte).
 */
export declare function encodeAsciiWithEdits(
  text: string,
  edits: readonly TextEdit[],
): Uint8Array | undefined;
//# sourceMappingURL=bodyEdits.d.ts.map
