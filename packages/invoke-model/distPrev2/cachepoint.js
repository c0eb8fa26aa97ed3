import { converseAdapter, createCachepointPlugin } from "@cachepoint/converse";
import { bytesOf, unreadableBody } from "./byteBody.js";
import { invokeModelUsage, tapInvokeModelStream } from "./invokeModelUsage.js";
import { prepareInvokeModelBody } from "./prepareInvokeModel.js";
import { utf8Encoder } from "./utf8.js";
/** Plans InvokeModel and InvokeModelWithResponseStream bodies (Anthropic and Nova) and reads their usage. @public */
export const invokeModelAdapter = {
  commands: ["InvokeModelCommand", "InvokeModelWithResponseStreamCommand"],
  prepare(input, model, options) {
    // An ASCII string body goes out as bytes: cheaper than a new large string, and the SDK need not encode it.
    const p = prepareInvokeModelBody(input.body, model, options, true);
    return {
      input: p.request === input.body ? input : { ...input, body: p.request },
      plan: p.plan,
      layout: p.layout,
      diagnostics: p.diagnostics,
    };
  },
  countTokensInput(input) {
    const body = input.body;
    const bytes =
      typeof body === "string"
        ? utf8Encoder.encode(body)
        : (bytesOf(body) ??
          (typeof body === "object" && body !== null && !unreadableBody(body)
            ? utf8Encoder.encode(JSON.stringify(body))
            : undefined));
    return bytes ? { invokeModel: { body: bytes } } : undefined;
  },
  observe(output, done) {
    const body = output.body;
    if (body && typeof body[Symbol.asyncIterator] === "function" && !(body instanceof Uint8Array)) {
      output.body = tapInvokeModelStream(body, (u, l) => done(u, l.totalMs));
      return;
    }
    done(invokeModelUsage(body), undefined);
  },
};
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
export function cachepoint(options = {}) {
  return createCachepointPlugin([converseAdapter, invokeModelAdapter], options);
}
//# sourceMappingURL=cachepoint.js.map
