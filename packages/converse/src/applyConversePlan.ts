import type { CachePlan, ModelRules, PromptLayout, Ttl } from "@cachepoint/core";
import { cachePointValue } from "./cachePointValue.js";
import { insertCachePoints } from "./insertCachePoints.js";
import { isObj, type Json } from "./json.js";

/** Drops cachePoint entries nested in a toolResult's content (not part of Bedrock's schema). */
function withoutNestedCachePoints(el: Json): Json {
  const tr = el.toolResult;
  if (!isObj(tr) || !Array.isArray(tr.content) || !tr.content.some((c) => isObj(c) && "cachePoint" in c))
    return el;
  return {
    ...el,
    toolResult: {
      ...tr,
      content: tr.content.filter((c) => !(isObj(c) && "cachePoint" in c && Object.keys(c).length === 1)),
    },
  };
}

/**
 * Writes a plan's checkpoints into a copy of a Converse request as standalone `{cachePoint}` blocks after
 * the blocks they close (`cachePointStyle: "key"` writes Nova's `cachePoint` key on the content object
 * instead). Existing checkpoints the plan dropped or moved disappear; kept ones keep their original object.
 * Only containers that change are copied; nothing the caller passed is mutated. A `manual` plan, or one that
 * leaves the request as it is, returns the request itself.
 * @public
 */
export function applyConversePlan<T>(
  input: T,
  plan: CachePlan,
  options: {
    rules?: ModelRules;
    cachePointStyle?: "block" | "key";
    /**
     * The layout the plan was made from (what `converseLayout` read from this input). When it has no checkpoints,
     * the request carries no `cachePoint` to find and drop, and the planned blocks are only spliced in.
     */
    layout?: PromptLayout;
  } = {},
): T {
  if (plan.strategy === "manual" || !isObj(input)) return input;
  const keyStyle = options.cachePointStyle === "key";
  if (!keyStyle && options.rules && options.layout?.checkpoints.length === 0) {
    const spliced = insertCachePoints(input, plan, options.rules);
    if (spliced !== undefined) return spliced;
  }
  const at = new Map<string, Ttl>();
  for (const c of plan.checkpoints) if (c.afterBlock >= 0) at.set(c.path, c.ttl);

  // Arrays that hold a planned checkpoint; any other array is rewritten only if it carries a cachePoint.
  const targeted = new Set<string>();
  for (const path of at.keys()) targeted.add(path.slice(0, path.lastIndexOf("/")));
  const needsRewrite = (arr: unknown[], base: string): boolean => {
    if (targeted.has(base)) return true;
    for (const el of arr) {
      if (!isObj(el)) continue;
      if ("cachePoint" in el) return true;
      const tr = el.toolResult;
      if (isObj(tr) && Array.isArray(tr.content) && tr.content.some((c) => isObj(c) && "cachePoint" in c))
        return true;
    }
    return false;
  };

  const rewrite = (arr: unknown, base: string): unknown => {
    if (!Array.isArray(arr) || !needsRewrite(arr, base)) return arr;
    const out: unknown[] = [];
    const originals = new Map<string, Json>(); // original cachePoint element by the path it followed
    let prevPath: string | undefined;
    arr.forEach((el, i) => {
      if (isObj(el) && "cachePoint" in el && Object.keys(el).length === 1 && !keyStyle) {
        if (prevPath !== undefined) originals.set(prevPath, el);
        return;
      }
      prevPath = `${base}/${i}`;
      originals.delete(prevPath);
    });
    prevPath = undefined;
    let changed = false;
    arr.forEach((el, i) => {
      const path = `${base}/${i}`;
      if (!isObj(el)) {
        out.push(el);
        return;
      }
      if (!keyStyle && "cachePoint" in el && Object.keys(el).length === 1) {
        changed = true; // re-added below if the plan keeps it
        return;
      }
      let next = keyStyle ? el : withoutNestedCachePoints(el);
      const ttl = at.get(path);
      if (keyStyle) {
        if (ttl !== undefined) {
          const existing = el.cachePoint as Json | undefined;
          const keep = isObj(existing) && ((existing.ttl as Ttl | undefined) ?? "5m") === ttl;
          next = keep ? el : { ...el, cachePoint: cachePointValue(ttl, options.rules) };
        } else if ("cachePoint" in el) {
          const { cachePoint: _drop, ...rest } = el;
          next = rest;
        }
        if (next !== el) changed = true;
        out.push(next);
        return;
      }
      if (next !== el) changed = true;
      out.push(next);
      if (ttl !== undefined) {
        const original = originals.get(path);
        const keep = original && (((original.cachePoint as Json)?.ttl as Ttl | undefined) ?? "5m") === ttl;
        out.push(keep ? original : { cachePoint: cachePointValue(ttl, options.rules) });
        changed = true;
      }
    });
    // Unchanged sections keep their identity, so callers can compare by reference.
    return changed || out.length !== arr.length ? out : arr;
  };

  const req = input as Json;
  // Copied on the first change only: a request the plan leaves as it is comes back as itself.
  let copy: Json | undefined;
  const set = (key: string, value: unknown) => {
    copy ??= { ...req };
    copy[key] = value;
  };
  if (isObj(req.toolConfig) && Array.isArray(req.toolConfig.tools)) {
    const tools = rewrite(req.toolConfig.tools, "toolConfig/tools");
    if (tools !== req.toolConfig.tools) set("toolConfig", { ...req.toolConfig, tools });
  }
  if (Array.isArray(req.system)) {
    const system = rewrite(req.system, "system");
    if (system !== req.system) set("system", system);
  }
  if (Array.isArray(req.messages)) {
    let any = false;
    const messages = req.messages.map((m, mi) => {
      if (!isObj(m) || !Array.isArray(m.content)) return m;
      const content = rewrite(m.content, `messages/${mi}/content`);
      if (content === m.content) return m;
      any = true;
      return { ...m, content };
    });
    if (any) set("messages", messages);
  }
  return (copy ?? input) as T;
}

/**
 * A copy of a Converse request without any `cachePoint` (standalone blocks, Nova keys, and ones nested in
 * tool results). `stripCachePoints(applyConversePlan(x, plan))` equals `stripCachePoints(x)`.
 * @public
 */
export function stripCachePoints<T>(input: T): T {
  if (!isObj(input)) return input;
  const strip = (arr: unknown): unknown => {
    if (!Array.isArray(arr)) return arr;
    const out: unknown[] = [];
    for (const el of arr) {
      if (!isObj(el)) {
        out.push(el);
        continue;
      }
      if ("cachePoint" in el && Object.keys(el).length === 1) continue;
      let next = withoutNestedCachePoints(el);
      if ("cachePoint" in next) {
        const { cachePoint: _drop, ...rest } = next;
        next = rest;
      }
      out.push(next);
    }
    return out;
  };
  const req = input as Json;
  const copy: Json = { ...req };
  if (isObj(req.toolConfig) && Array.isArray(req.toolConfig.tools))
    copy.toolConfig = { ...req.toolConfig, tools: strip(req.toolConfig.tools) };
  if (Array.isArray(req.system)) copy.system = strip(req.system);
  if (Array.isArray(req.messages))
    copy.messages = req.messages.map((m) =>
      isObj(m) && Array.isArray(m.content) ? { ...m, content: strip(m.content) } : m,
    );
  return copy as T;
}
