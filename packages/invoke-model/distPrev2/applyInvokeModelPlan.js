import { applyConversePlan } from "@cachepoint/converse";
import { asBodyKind, bytesOf } from "./byteBody.js";
import { isObj } from "./json.js";
import { utf8Encoder } from "./utf8.js";

function cacheControl(ttl, rules) {
  return ttl !== "5m" && (rules === undefined || rules.ttls.includes(ttl))
    ? { type: "ephemeral", ttl }
    : { type: "ephemeral" };
}
/** Removes `cache_control` from a block (and from a tool_result's nested content). */
function clean(block) {
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
export function applyAnthropicPlan(body, plan, rules) {
  if (plan.strategy === "manual") return body;
  const at = new Map();
  for (const c of plan.checkpoints) if (c.afterBlock >= 0) at.set(c.path, c.ttl);
  const mark = (block, path) => {
    const ttl = at.get(path);
    const base = clean(block);
    if (ttl === undefined) return base;
    const existing = isObj(block) ? block.cache_control : undefined;
    if (isObj(existing) && (existing.ttl ?? "5m") === ttl && base !== block) {
      return block; // the caller's own, kept as it was
    }
    return { ...base, cache_control: cacheControl(ttl, rules) };
  };
  const list = (arr, base) => {
    let changed = false;
    const out = arr.map((b, i) => {
      const next = mark(b, `${base}/${i}`);
      if (next !== b) changed = true;
      return next;
    });
    return changed ? out : arr;
  };
  const out = { ...body };
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
export function applyInvokeModelPlan(body, parsed, format, plan, rules) {
  if (!isObj(parsed) || plan.strategy === "manual") return body;
  let next;
  if (format === "anthropic") next = applyAnthropicPlan(parsed, plan, rules);
  else if (format === "nova")
    next = applyConversePlan(parsed, plan, { cachePointStyle: "key", ...(rules && { rules }) });
  else return body;
  if (next === parsed) return body;
  if (typeof body === "string") return JSON.stringify(next);
  if (bytesOf(body)) return asBodyKind(body, utf8Encoder.encode(JSON.stringify(next)));
  return next;
}
//# sourceMappingURL=applyInvokeModelPlan.js.map
