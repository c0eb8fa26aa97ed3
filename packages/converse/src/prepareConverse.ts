import {
  type CachePlan,
  CachepointError,
  calibrateLayout,
  type Diagnostic,
  isCachepointError,
  type PlanOptions,
  type PromptLayout,
  planCheckpoints,
  type ResolvedModel,
  resolveModel,
  type TokenCounter,
} from "@cachepoint/core";
import { applyConversePlan } from "./applyConversePlan.js";
import { converseLayout } from "./converseLayout.js";

/** Options for {@link prepareConverse}. @public */
export interface PrepareOptions extends PlanOptions {
  /** The model, when the request carries no `modelId` (or to override it). */
  model?: ResolvedModel | string;
  counter?: TokenCounter;
  /** The request's exact input tokens (from CountTokens): counts are calibrated to it and the margin shrinks to 5%. */
  exactTotalTokens?: number;
}

/** A request with a plan written in, and everything that went into it. @public */
export interface Prepared<T> {
  /** A copy of the request with the plan's checkpoints (or the request itself when nothing changes). */
  readonly request: T;
  readonly plan: CachePlan;
  readonly layout: PromptLayout;
  /** Plan diagnostics plus what the reader found malformed. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads, plans and writes in one call: the Converse request you would send, with checkpoints placed for
 * its model.
 * @example
 * const { request, plan } = prepareConverse({ modelId: "us.anthropic.claude-sonnet-4-6", system, messages });
 * await client.send(new ConverseCommand(request));
 * @public
 */
export function prepareConverse<T extends { modelId?: string | undefined }>(
  input: T,
  options: PrepareOptions = {},
): Prepared<T> {
  if (typeof options !== "object" || options === null) {
    // A JavaScript caller may pass the model ID where the options go: planning for another model would be wrong.
    throw new CachepointError(
      "invalid-option",
      `prepareConverse(input, options) takes an options object; got ${
        typeof options === "string"
          ? `the string "${options}": pass { model: "${options}" }`
          : String(options)
      }.`,
    );
  }
  return prepareConverseFor(input, options.model ?? input.modelId, options);
}

/**
 * {@link prepareConverse} with the model given apart from the options, so the plugin passes its options object
 * as it is on every call instead of copying it. @internal
 */
export function prepareConverseFor<T>(
  input: T,
  modelArg: ResolvedModel | string | undefined,
  options: PrepareOptions,
): Prepared<T> {
  if (modelArg === undefined) {
    throw new CachepointError(
      "invalid-option",
      "No model: pass options.model or set modelId on the request.",
    );
  }
  let read: ReturnType<typeof converseLayout>;
  try {
    // PrepareOptions carries `counter` under the same name as ConverseLayoutOptions; the rest is ignored.
    read = converseLayout(input, options);
  } catch (e) {
    if (!isCachepointError(e) || options.strict) throw e;
    // Unreadable: send it untouched and say why; Bedrock will answer for itself.
    const d: Diagnostic = {
      code: "malformed-request",
      severity: "error",
      message: `${e.message} The request was passed through untouched.`,
    };
    const empty = { blocks: [], checkpoints: [] };
    return {
      request: input,
      plan: planCheckpoints(empty, modelArg, { strategy: "manual" }),
      layout: empty,
      diagnostics: [d],
    };
  }
  const problems = read.problems;
  const exact = options.exactTotalTokens;
  const layout = exact ? calibrateLayout(read.layout, exact) : read.layout;
  let model: ResolvedModel | string = modelArg;
  if (typeof modelArg === "string") {
    try {
      model = resolveModel(modelArg, options.resolve);
    } catch {
      model = modelArg; // the planner turns this into an unknown-model diagnostic
    }
  }
  // The planner reads only its own options, so the caller's object goes through as it is unless strict mode
  // (checked here, after the reader's problems join the plan's) or exact counts change them.
  let planOptions: PlanOptions = options;
  if (options.strict || exact) {
    const { strict, exactTotalTokens, ...rest } = options;
    planOptions = exact ? { minTokensMargin: 0.05, ...rest } : rest;
  }
  const plan = planCheckpoints(layout, model, planOptions);
  const diagnostics = problems.length === 0 ? plan.diagnostics : [...problems, ...plan.diagnostics];
  if (options.strict) {
    const first = diagnostics.find((d) => d.severity === "error");
    if (first)
      throw new CachepointError("strict-mode", `${first.code}: ${first.message}`, { details: { plan } });
  }
  if (typeof model === "string" || problems.some((p) => p.severity === "error"))
    return { request: input, plan, layout, diagnostics };
  const request = applyConversePlan(input, plan, { rules: model.rules, layout });
  return { request, plan, layout, diagnostics };
}
