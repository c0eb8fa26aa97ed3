import { CachepointError, calibrateLayout, planCheckpoints, resolveModel } from "@cachepoint/core";
import { applyInvokeModelPlan } from "./applyInvokeModelPlan.js";
import { bodyEdits, editBytes, editText, encodeAsciiWithEdits } from "./bodyEdits.js";
import { asBodyKind, bytesOf } from "./byteBody.js";
import { invokeModelLayout, parseBody } from "./invokeModelLayout.js";
import { parseJsonBytes } from "./parseJsonBytes.js";
import { utf8Decoder, utf8Encoder } from "./utf8.js";
/**
 * Reads, plans and writes an InvokeModel body in one call. Legacy text-completion bodies and unknown
 * formats come back untouched with a diagnostic that says why.
 * @example
 * const { request: body, plan } = prepareInvokeModel(JSON.stringify(anthropicBody), { model: "us.anthropic.claude-sonnet-4-6" });
 * await client.send(new InvokeModelCommand({ modelId, body }));
 * @public
 */
export function prepareInvokeModel(body, options) {
  // A JavaScript caller may pass the model ID where the options go: say so instead of failing on `undefined`.
  const model = typeof options === "object" && options !== null ? options.model : undefined;
  if (typeof model !== "string" && (typeof model !== "object" || model === null)) {
    throw new CachepointError(
      "invalid-option",
      `prepareInvokeModel(body, options) needs options.model (a model ID, ARN or resolved model); got ${
        typeof options === "string"
          ? `the string "${options}" as options: pass { model: "${options}" }`
          : "none"
      }.`,
    );
  }
  return prepareInvokeModelBody(body, options.model, options, false);
}
/**
 * {@link prepareInvokeModel}, and with `asciiAsBytes` a string body that is all ASCII comes back as its UTF-8
 * bytes: the plugin sends those, because building a new large string costs more than the bytes (a 400,000-
 * character body: about 300 µs to allocate and flatten on the bench machine) and the SDK would encode the string
 * again. The caller's own `prepareInvokeModel` keeps the body's type. The model comes apart from the options, so
 * the plugin passes its options object as it is on every call (as `prepareConverseFor` does).
 * @internal
 */
export function prepareInvokeModelBody(body, modelArg, options, asciiAsBytes) {
  let model = modelArg;
  if (typeof model === "string") {
    try {
      model = resolveModel(model, options.resolve);
    } catch {
      // the planner reports unknown-model
    }
  }
  const provider = typeof model === "string" ? undefined : model.provider;
  const resolved = model;
  /** The body goes out untouched, with the diagnostic that says why (thrown instead in strict mode). */
  const passThrough = (d, cause) => {
    if (options.strict) {
      throw new CachepointError(
        "strict-mode",
        `${d.code}: ${d.message}`,
        cause === undefined ? {} : { cause },
      );
    }
    return {
      request: body,
      plan: emptyPlan(resolved, options),
      layout: { blocks: [], checkpoints: [] },
      diagnostics: [d],
      format: "unknown",
    };
  };
  // Bytes are read where they lie when they can be (their long strings decoded once per content, not per call);
  // otherwise the body's text is decoded once. Either is parsed here, and written into when the plan allows it.
  const bytes = bytesOf(body);
  const inPlace = typeof body !== "string" && bytes ? parseJsonBytes(bytes) : undefined;
  const text =
    typeof body === "string" ? body : bytes && inPlace === undefined ? utf8Decoder.decode(bytes) : undefined;
  let parsed;
  try {
    parsed = inPlace ?? parseBody(text ?? body);
  } catch (e) {
    return passThrough(
      {
        code: "unknown-body-format",
        severity: options.strict ? "error" : "warning",
        message: `${e.message} The body was passed through untouched.`,
      },
      e,
    );
  }
  let read;
  try {
    read = invokeModelLayout(parsed, {
      ...(options.counter && { counter: options.counter }),
      ...(provider && { provider }),
    });
  } catch (e) {
    // Unreadable (e.g. nested too deep): Bedrock will answer for itself.
    return passThrough(
      {
        code: "malformed-request",
        severity: "error",
        message: `${e.message} The body was passed through untouched.`,
      },
      e,
    );
  }
  if (read.format === "unknown") {
    return passThrough({
      code: "unknown-body-format",
      severity: "warning",
      message:
        "This InvokeModel body is neither an Anthropic Messages body nor a Nova body; cachepoint passed it through untouched.",
    });
  }
  const exact = options.exactTotalTokens;
  const layout = exact ? calibrateLayout(read.layout, exact) : read.layout;
  // The planner reads only its own options: the caller's object goes through unless strict mode (checked here,
  // after the reader's problems join the plan's) or exact counts change them.
  let planOptions = options;
  if (options.strict || exact) {
    const { strict, exactTotalTokens, ...rest } = options;
    planOptions = exact ? { minTokensMargin: 0.05, ...rest } : rest;
  }
  const plan = planCheckpoints(layout, model, planOptions);
  const diagnostics = [...read.problems, ...plan.diagnostics];
  if (options.strict) {
    const first = diagnostics.find((d) => d.severity === "error");
    if (first)
      throw new CachepointError("strict-mode", `${first.code}: ${first.message}`, { details: { plan } });
  }
  const writable = typeof model !== "string" && read.problems.every((p) => p.severity !== "error");
  if (!writable) return { request: body, plan, layout, diagnostics, format: read.format };
  const rules = model.rules;
  const request =
    ((read.format === "anthropic" || read.format === "nova") && (text !== undefined || bytes)
      ? spliced(body, bytes, text, read.format, plan, rules, read.layout.checkpoints.length > 0, asciiAsBytes)
      : undefined) ?? applyInvokeModelPlan(body, parsed, read.format, plan, rules);
  return { request, plan, layout, diagnostics, format: read.format };
}
/**
 * The plan written into the body's own text (string or bytes), without re-serialising it: checkpoints added,
 * and the body's own ones kept, changed or dropped in place. Re-serialising a 400,000-character body costs about
 * twenty times the whole plan. Bytes that were not decoded (`text` undefined) are edited at byte positions found
 * in them. Undefined when the fast path does not apply.
 */
function spliced(body, bytes, text, format, plan, rules, ownCheckpoints, asciiAsBytes) {
  if (plan.strategy === "manual") return undefined;
  const source = text ?? bytes;
  if (source === undefined) return undefined;
  const edits = bodyEdits(format, source, plan, rules, ownCheckpoints);
  if (edits === undefined) return undefined;
  if (edits.length === 0) return body;
  if (text === undefined) return asBodyKind(body, editBytes(bytes, edits));
  if (typeof body === "string")
    return (asciiAsBytes && encodeAsciiWithEdits(text, edits)) || editText(text, edits);
  if (bytes) {
    // All ASCII (one byte a character): copy the bytes around the edits instead of encoding the text again.
    return asBodyKind(
      body,
      text.length === bytes.length ? editBytes(bytes, edits) : utf8Encoder.encode(editText(text, edits)),
    );
  }
  return undefined;
}
function emptyPlan(model, options) {
  return planCheckpoints({ blocks: [], checkpoints: [] }, model, {
    ...options,
    strategy: "manual",
    strict: false,
  });
}
//# sourceMappingURL=prepareInvokeModel.js.map
