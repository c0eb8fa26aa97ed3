import { type Prepared, prepareConverse } from "@cachepoint/converse";
import type { PlanOptions, ResolvedModel } from "@cachepoint/core";
import { prepareInvokeModel } from "@cachepoint/invoke-model";
import { UsageError } from "./UsageError.js";

export type RequestKind = "converse" | "invoke-model";

/** What a request file holds: a Converse input, an InvokeModel body, or an InvokeModel command input ({modelId, body}). */
export function classify(
  doc: unknown,
  what: string,
): { kind: RequestKind; payload: unknown; modelId: string | undefined } {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new UsageError(`${what}: expected a JSON object (a Converse request or an InvokeModel body)`);
  }
  const o = doc as Record<string, unknown>;
  const modelId = typeof o.modelId === "string" ? o.modelId : undefined;
  if (o.body !== undefined && (typeof o.body === "string" || typeof o.body === "object")) {
    const body = typeof o.body === "string" ? safeParse(o.body, what) : o.body;
    return { kind: "invoke-model", payload: body, modelId };
  }
  if ("anthropic_version" in o || "prompt" in o || "schemaVersion" in o)
    return { kind: "invoke-model", payload: o, modelId };
  if ("messages" in o || "system" in o || "toolConfig" in o) return { kind: "converse", payload: o, modelId };
  return { kind: "invoke-model", payload: o, modelId };
}

function safeParse(s: string, what: string): unknown {
  try {
    return JSON.parse(s);
  } catch (e) {
    throw new UsageError(`${what}: "body" is a string but not JSON (${(e as Error).message})`);
  }
}

/** Plans a request of either kind. */
export function prepare(
  kind: RequestKind,
  payload: unknown,
  model: ResolvedModel | string,
  options: PlanOptions,
): Prepared<unknown> {
  return kind === "converse"
    ? prepareConverse(payload as Record<string, unknown>, { ...options, model })
    : prepareInvokeModel(payload, { ...options, model });
}
