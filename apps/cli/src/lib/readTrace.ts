import { readFileSync } from "node:fs";
import { classify, type RequestKind } from "./readRequest.js";
import { UsageError } from "./UsageError.js";

/** One request of a workload, whatever file it came from. */
export interface TraceRecord {
  at: number;
  modelId: string;
  accountId: string;
  region: string;
  kind: RequestKind;
  payload: unknown;
  outputTokens: number;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function time(v: unknown, where: string): number {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && !Number.isNaN(Date.parse(v))) return Date.parse(v);
  throw new UsageError(
    `${where}: "t"/"timestamp" must be epoch milliseconds or an ISO date (got ${JSON.stringify(v)})`,
  );
}

/**
 * Reads a workload: cachepoint's JSONL trace format
 * (`{"t": 0, "model": "us.anthropic.claude-sonnet-4-6", "account": "111111111111", "region": "us-east-1", "converse": {…}}`
 * or `"invokeModel": {…body…}`, optional `"outputTokens"`), or Bedrock model invocation log records
 * (`{"schemaType": "ModelInvocationLog", "timestamp", "accountId", "region", "operation", "modelId", "input": {"inputBodyJson": …}, "output": {…}}`),
 * as JSON lines or one JSON array.
 */
export function readTrace(path: string): TraceRecord[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "ENOENT" ? `simulate: no such file: ${path}` : `simulate: cannot read ${path} (${code})`,
    );
  }
  let docs: { doc: unknown; where: string }[];
  const trimmed = text.trimStart();
  if (trimmed.startsWith("[")) {
    let arr: unknown;
    try {
      arr = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`simulate: ${path} is not valid JSON (${(e as Error).message})`);
    }
    docs = (arr as unknown[]).map((doc, i) => ({ doc, where: `${path} record ${i + 1}` }));
  } else {
    docs = [];
    text.split("\n").forEach((line, i) => {
      if (line.trim() === "") return;
      try {
        docs.push({ doc: JSON.parse(line), where: `${path}:${i + 1}` });
      } catch (e) {
        throw new UsageError(`simulate: ${path}:${i + 1} is not valid JSON (${(e as Error).message})`);
      }
    });
  }
  if (docs.length === 0) throw new UsageError(`simulate: ${path} holds no records`);
  const records = docs.map(({ doc, where }) => toRecord(doc, where));
  return records.sort((a, b) => a.at - b.at);
}

function toRecord(doc: unknown, where: string): TraceRecord {
  if (!isObj(doc)) throw new UsageError(`${where}: each record must be a JSON object`);
  if (doc.schemaType === "ModelInvocationLog" || (isObj(doc.input) && typeof doc.operation === "string")) {
    const input = isObj(doc.input) ? doc.input : {};
    const body =
      input.inputBodyJson ?? (typeof input.inputBody === "string" ? JSON.parse(input.inputBody) : undefined);
    if (body === undefined)
      throw new UsageError(
        `${where}: invocation log record has no input.inputBodyJson (turn on text data delivery in model invocation logging)`,
      );
    const op = String(doc.operation);
    const out = isObj(doc.output) ? doc.output : {};
    const outBody = isObj(out.outputBodyJson) ? out.outputBodyJson : {};
    const usage = isObj(outBody.usage) ? outBody.usage : {};
    const outputTokens = Number(out.outputTokenCount ?? usage.outputTokens ?? usage.output_tokens ?? 0) || 0;
    if (typeof doc.modelId !== "string")
      throw new UsageError(`${where}: invocation log record has no modelId`);
    return {
      at: time(doc.timestamp, where),
      modelId: doc.modelId,
      accountId: String(doc.accountId ?? "111111111111"),
      region: String(doc.region ?? "us-east-1"),
      kind: op.startsWith("Converse") ? "converse" : "invoke-model",
      payload: body,
      outputTokens,
    };
  }
  const model = doc.model ?? doc.modelId;
  if (typeof model !== "string") throw new UsageError(`${where}: needs "model" (a Bedrock model ID)`);
  const payload = doc.converse ?? doc.invokeModel;
  if (payload === undefined)
    throw new UsageError(
      `${where}: needs "converse" (a Converse request) or "invokeModel" (an InvokeModel body)`,
    );
  const kind =
    doc.converse !== undefined
      ? "converse"
      : classify(payload, where).kind === "converse"
        ? "converse"
        : "invoke-model";
  return {
    at: time(doc.t ?? 0, where),
    modelId: model,
    accountId: String(doc.account ?? "111111111111"),
    region: String(doc.region ?? "us-east-1"),
    kind: doc.converse !== undefined ? "converse" : kind,
    payload,
    outputTokens: Number(doc.outputTokens ?? 0) || 0,
  };
}
