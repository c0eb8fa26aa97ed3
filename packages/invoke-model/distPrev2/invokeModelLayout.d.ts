import { type ReadResult } from "@cachepoint/converse";
import { type TokenCounter } from "@cachepoint/core";
/** The InvokeModel body formats cachepoint knows. @public */
export type BodyFormat = "anthropic" | "nova" | "legacy-text-completion" | "unknown";
/**
 * Parses an InvokeModel body as the SDK accepts it (string; bytes as a `Uint8Array`, `Buffer`, other typed array,
 * `DataView` or `ArrayBuffer`; or an already-parsed object).
 * @throws CachepointError `malformed-request` when it is not JSON, or is a stream or `Blob` (which can only be
 * read by consuming it).
 * @public
 */
export declare function parseBody(body: unknown): unknown;
/**
 * Which body format a parsed InvokeModel body is. The model's provider breaks ties (a body with
 * `messages` is Anthropic for `anthropic.*` and Nova for `amazon.*`).
 * @public
 */
export declare function detectBodyFormat(body: unknown, provider?: string): BodyFormat;
/** Options for {@link invokeModelLayout}. @public */
export interface InvokeModelLayoutOptions {
  counter?: TokenCounter;
  /** The model's provider (`anthropic`, `amazon`), to tell formats apart. */
  provider?: string;
}
/**
 * Reads an InvokeModel body into a {@link PromptLayout}: Anthropic Messages bodies (`cache_control` on
 * blocks, string `system`/`content` as one text block), Nova bodies (`cachePoint` keys on content objects)
 * and legacy text-completion bodies (`prompt: "Human: …"`), which cannot cache. Unknown formats return an
 * empty layout with format `unknown`.
 * @public
 */
export declare function invokeModelLayout(
  body: unknown,
  options?: InvokeModelLayoutOptions,
): ReadResult & {
  format: BodyFormat;
};
//# sourceMappingURL=invokeModelLayout.d.ts.map
