import type { Prepared, PrepareOptions } from "@cachepoint/converse";
import { type ResolvedModel } from "@cachepoint/core";
import { type BodyFormat } from "./invokeModelLayout.js";
/**
 * Reads, plans and writes an InvokeModel body in one call. Legacy text-completion bodies and unknown
 * formats come back untouched with a diagnostic that says why.
 * @example
 * const { request: body, plan } = prepareInvokeModel(JSON.stringify(anthropicBody), { model: "us.anthropic.claude-sonnet-4-6" });
 * await client.send(new InvokeModelCommand({ modelId, body }));
 * @public
 */
export declare function prepareInvokeModel<B>(
  body: B,
  options: PrepareOptions & {
    model: ResolvedModel | string;
  },
): Prepared<B> & {
  format: BodyFormat;
};
/**
 * {@link prepareInvokeModel}, and with `asciiAsBytes` a string body that is all ASCII comes back as its UTF-8
 * bytes: the plugin sends those, because building a new large string costs more than the bytes (a 400,000-
 * character body: about 300 µs to allocate and flatten on the bench machine) and the SDK would encode the string
 * again. The caller's own `prepareInvokeModel` keeps the body's type. The model comes apart from the options, so
 * the plugin passes its options object as it is on every call (as `prepareConverseFor` does).
 * @internal
 */
export declare function prepareInvokeModelBody<B>(
  body: B,
  modelArg: ResolvedModel | string,
  options: PrepareOptions,
  asciiAsBytes: boolean,
): Prepared<B | Uint8Array> & {
  format: BodyFormat;
};
//# sourceMappingURL=prepareInvokeModel.d.ts.map
