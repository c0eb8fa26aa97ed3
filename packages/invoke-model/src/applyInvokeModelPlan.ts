import { applyConversePlan } from "@cachepoint/converse";
import type { CachePlan, ModelRules, Ttl } from "@cachepoint/core";
import { asBodyKind, bytesOf } from "./byteBody.js";
import type { BodyFormat } from "./invokeModelLayout.js";
import { isObj, type Json } from "./json.js";
import { utf8Encoder } from "./utf8.js";

function cacheControl(ttl: Ttl, rules: ModelRules | undefined): Json {
  return ttl !== "5m" && (rules === undefined || rules.ttls.includes(ttl))
    ? { type: "ephemeral", ttl }
    : { type: "ephemeral" };
}

/** Removes `cache_control` from a block (and from a tool_result's nested content). */
function clean(block: unknown): unknown {
  if (!isObj(block)) return block;
  let out = block;
  if ("cache_control" in out) {
    const { cache_control: _drop, ...rest } = out;
    out = rest;
  }
  if (
    out.type === "tool_result" &&
    Array.isArray(out.content) &&
    out.content.some((c) => isObj(c) && "cache_control" in c)
  ) {
    out = { ...out, content: out.content.map(clean) };
  }
  return out;
}

/**
 * Writes a plan into a copy of an Anthropic Messages body: `cache_control: {type: "ephemeral", ttl?}` on the
 * block each checkpoint closes (a string `system` or message `content` that needs one becomes a single text
 * block). Checkpoints the plan dropped are removed. Nothing the caller passed is mutated.
 * @public
 */
export function applyAnthropicPlan(body: Json, plan: CachePlan, rules?: ModelRules): Json {
  if (plan.strategy === "manual") return body;
  const at = new Map<string, Ttl>();
  for (const c of plan.checkpoints) if (c.afterBlock >= 0) at.set(c.path, c.ttl);
  const mark = (block: unknown, path: string): unknown => {
    const ttl = at.get(path);
    const base = clean(block);
    if (ttl === undefined) return base;
    const existing = isObj(block) ? (block.cache_control as Json | undefined) : undefined;
    if (isObj(existing) && ((existing.ttl as Ttl | undefined) ?? "5m") === ttl && base !== block) {
      return block; // the caller's own, kept as it was
    }
    return { ...(base as Json), cache_control: cacheControl(ttl, rules) };
  };
  const list = (arr: unknown[], base: string) => {
    let changed = false;
    const out = arr.map((b, i) => {
      const next = mark(b, `${base}/${i}`);
      if (next !== b) changed = true;
      return next;
    });
    return changed ? out : arr;
  };
  const out: Json = { ...body };
  if (Array.isArray(body.tools)) out.tools = list(body.tools, "tools");
  if (typeof body.system === "string") {
    const ttl = at.get("system");
    if (ttl !== undefined)
      out.system = [{ type: "text", text: body.system, cache_control: cacheControl(ttl, rules) }];
  } else if (Array.isArray(body.system)) out.system = list(body.system, "system");
  if (Array.isArray(body.messages)) {
    let any = false;
    const messages = body.messages.map((m, mi) => {
      if (!isObj(m)) return m;
      const path = `messages/${mi}/content`;
      if (typeof m.content === "string") {
        const ttl = at.get(path);
        if (ttl === undefined) return m;
        any = true;
        return {
          ...m,
          content: [{ type: "text", text: m.content, cache_control: cacheControl(ttl, rules) }],
        };
      }
      if (!Array.isArray(m.content)) return m;
      const content = list(m.content, path);
      if (content === m.content) return m;
      any = true;
      return { ...m, content };
    });
    if (any) out.messages = messages;
  }
  return out;
}

/**
 * Writes a plan into an InvokeModel body of the given format, returning the body in the kind it came in
 * (string; bytes: a `Uint8Array` for any typed array, an `ArrayBuffer` or a `DataView`; or object). Legacy and unknown bodies come back untouched.
 * @public
 */
export function applyInvokeModelPlan<B>(
  body: B,
  parsed: unknown,
  format: BodyFormat,
  plan: CachePlan,
  rules?: ModelRules,
): B {
  if (!isObj(parsed) || plan.strategy === "manual") return body;
  let next: Json;
  if (format === "anthropic") next = applyAnthropicPlan(parsed, plan, rules);
  else if (format === "nova")
    next = applyConversePlan(parsed, plan, { cachePointStyle: "key", ...(rules && { rules }) });
  else return body;
  if (next === parsed) return body;
  if (typeof body === "string") return JSON.stringify(next) as B;
  if (bytesOf(body)) return asBodyKind(body, utf8Encoder.encode(JSON.stringify(next)));
  return next as B;
}
