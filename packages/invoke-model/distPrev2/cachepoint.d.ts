import { type CachepointPluginOptions, type CommandAdapter } from "@cachepoint/converse";
import type { Pluggable } from "@smithy/types";
/** Plans InvokeModel and InvokeModelWithResponseStream bodies (Anthropic and Nova) and reads their usage. @public */
export declare const invokeModelAdapter: CommandAdapter;
/**
 * The cachepoint plugin for `BedrockRuntimeClient`: plans every Converse, ConverseStream, InvokeModel and
 * InvokeModelWithResponseStream call, sends a copy with the checkpoints written in, and reports the plan,
 * diagnostics, usage, cost and savings per call (`onReport`, and `getCachepointReport(output)`). Other
 * commands pass through untouched; streams are observed as you read them, never consumed for you.
 * @example
 * const client = new BedrockRuntimeClient({ region: "us-east-1" });
 * client.middlewareStack.use(cachepoint({ strategy: "auto", onReport: (r) => log(r.usage, r.cost?.savedUsd) }));
 * @public
 */
export declare function cachepoint<Input extends object, Output extends object>(
  options?: CachepointPluginOptions,
): Pluggable<Input, Output>;
//# sourceMappingURL=cachepoint.d.ts.map
