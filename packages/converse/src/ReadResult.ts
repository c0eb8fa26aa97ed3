import type { Diagnostic, PromptLayout } from "@cachepoint/core";

/**
 * A request read into a layout, plus what Bedrock would reject as malformed before caching even applies
 * (e.g. a content block that sets two union members).
 * @public
 */
export interface ReadResult {
  readonly layout: PromptLayout;
  readonly problems: readonly Diagnostic[];
}
