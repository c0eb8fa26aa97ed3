import type { Prepared, PrepareOptions } from "@cachepoint/converse";
import {
  CachepointError,
  calibrateLayout,
  type Diagnostic,
  planCheckpoints,
  type ResolvedModel,
  resolveModel,
} from "@cachepoint/core";
import { applyInvokeModelPlan } from "./applyInvokeModelPlan.js";
import { type BodyFormat, invokeModelLayout, parseBody } from "./invokeModelLayout.js";

/**
 * Reads, plans and writes an InvokeModel body in one call. Legacy text-completion bodies and unknown
 * formats come back untouched with a diagnostic that says why.
 * @example
 * const { request: body, plan } = prepareInvokeModel(JSON.stringify(anthropicBody), { model: "us.anthropic.claude-sonnet-4-6" });
 * await client.send(new InvokeModelCommand({ modelId, body }));
 * @public
 */
export function prepareInvokeModel<B>(
  body: B,
  options: PrepareOptions & { model: ResolvedModel | string },
): Prepared<B> & { format: BodyFormat } {
  let model: ResolvedModel | string = options.model;
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
  const passThrough = (d: Diagnostic, cause?: unknown): Prepared<B> & { format: BodyFormat } => {
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
  let parsed: unknown;
  try {
    parsed = parseBody(body);
  } catch (e) {
    return passThrough(
      {
        code: "unknown-body-format",
        severity: options.strict ? "error" : "warning",
        message: `${(e as Error).message} The body was passed through untouched.`,
      },
      e,
    );
  }
  let read: ReturnType<typeof invokeModelLayout>;
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
        message: `${(e as Error).message} The body was passed through untouched.`,
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
  const { strict, exactTotalTokens, ...planOptions } = options;
  const layout = exactTotalTokens ? calibrateLayout(read.layout, exactTotalTokens) : read.layout;
  const plan = planCheckpoints(
    layout,
    model,
    exactTotalTokens ? { minTokensMargin: 0.05, ...planOptions } : planOptions,
  );
  const diagnostics = [...read.problems, ...plan.diagnostics];
  if (strict) {
    const first = diagnostics.find((d) => d.severity === "error");
    if (first)
      throw new CachepointError("strict-mode", `${first.code}: ${first.message}`, { details: { plan } });
  }
  const writable = typeof model !== "string" && read.problems.every((p) => p.severity !== "error");
  const request = writable
    ? applyInvokeModelPlan(body, parsed, read.format, plan, (model as ResolvedModel).rules)
    : body;
  return { request, plan, layout, diagnostics, format: read.format };
}

function emptyPlan(model: ResolvedModel | string, options: PrepareOptions) {
  return planCheckpoints({ blocks: [], checkpoints: [] }, model, {
    ...options,
    strategy: "manual",
    strict: false,
  });
}
