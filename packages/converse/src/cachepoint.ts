import type { Pluggable } from "@smithy/types";
import { converseUsage, tapConverseStream } from "./converseUsage.js";
import {
  type CachepointPluginOptions,
  type CommandAdapter,
  createCachepointPlugin,
} from "./createCachepointPlugin.js";
import { prepareConverseFor } from "./prepareConverse.js";

/** Plans Converse and ConverseStream requests and reads their usage. @public */
export const converseAdapter: CommandAdapter = {
  commands: ["ConverseCommand", "ConverseStreamCommand"],
  prepare(input, model, options) {
    const p = prepareConverseFor(input, model, options);
    return { input: p.request, plan: p.plan, layout: p.layout, diagnostics: p.diagnostics };
  },
  countTokensInput(input) {
    const { messages, system, toolConfig, additionalModelRequestFields } = input;
    return {
      converse: {
        messages,
        ...(system !== undefined && { system }),
        ...(toolConfig !== undefined && { toolConfig }),
        ...(additionalModelRequestFields !== undefined && { additionalModelRequestFields }),
      },
    };
  },
  observe(output, done) {
    if (
      output.stream &&
      typeof (output.stream as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function"
    ) {
      output.stream = tapConverseStream(
        output.stream as AsyncIterable<{ metadata?: { usage?: unknown; metrics?: { latencyMs?: number } } }>,
        done,
      );
      return;
    }
    const metrics = output.metrics as { latencyMs?: number } | undefined;
    done(converseUsage(output), metrics?.latencyMs);
  },
};

/**
 * The cachepoint plugin for `BedrockRuntimeClient`, Converse and ConverseStream only. For InvokeModel too,
 * use `cachepoint()` from `@cachepoint/invoke-model`, which covers all four commands.
 * @example
 * client.middlewareStack.use(cachepoint({ strategy: "auto", onReport: (r) => console.log(r.cost?.savedUsd) }));
 * @public
 */
export function cachepoint<Input extends object, Output extends object>(
  options: CachepointPluginOptions = {},
): Pluggable<Input, Output> {
  return createCachepointPlugin<Input, Output>([converseAdapter], options);
}
