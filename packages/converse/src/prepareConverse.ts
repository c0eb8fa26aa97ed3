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
  const modelArg = options.model ?? input.modelId;
  if (modelArg === undefined) {
    throw new CachepointError(
      "invalid-option",
      "No model: pass options.model or set modelId on the request.",
    );
  }
  let read: ReturnType<typeof converseLayout>;
  try {
    read = converseLayout(input, options.counter ? { counter: options.counter } : {});
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
  const layout = options.exactTotalTokens
    ? calibrateLayout(read.layout, options.exactTotalTokens)
    : read.layout;
  let model: ResolvedModel | string = modelArg;
  if (typeof modelArg === "string") {
    try {
      model = resolveModel(modelArg, options.resolve);
    } catch {
      model = modelArg; // the planner turns this into an unknown-model diagnostic
    }
  }
  const { strict, exactTotalTokens, ...planOptions } = options;
  const plan = planCheckpoints(
    layout,
    model,
    exactTotalTokens ? { minTokensMargin: 0.05, ...planOptions } : planOptions,
  );
  const diagnostics = problems.length === 0 ? plan.diagnostics : [...problems, ...plan.diagnostics];
  if (strict) {
    const first = diagnostics.find((d) => d.severity === "error");
    if (first)
      throw new CachepointError("strict-mode", `${first.code}: ${first.message}`, { details: { plan } });
  }
  const rules = typeof model === "string" ? undefined : model.rules;
  const canWrite = typeof model !== "string" && problems.every((p) => p.severity !== "error");
  const request = canWrite ? applyConversePlan(input, plan, rules ? { rules } : {}) : input;
  return { request, plan, layout, diagnostics };
}
