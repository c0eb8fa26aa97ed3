import type { CachePlan, ModelRules, PlannedCheckpoint } from "@cachepoint/core";
import { cachePointValue } from "./cachePointValue.js";
import { isObj, type Json } from "./json.js";

/**
 * A copy of `arr` with `{cachePoint}` blocks after the elements that checkpoints `from`..`to` (exclusive) close,
 * or undefined when one of them does not index into it. Sized once: this runs inside every SDK call.
 */
function spliced(
  arr: readonly unknown[],
  cps: readonly PlannedCheckpoint[],
  from: number,
  to: number,
  slash: number,
  rules: ModelRules,
): unknown[] | undefined {
  const out = new Array<unknown>(arr.length + (to - from));
  let n = 0;
  let next = 0;
  for (let k = from; k < to; k++) {
    const c = cps[k]!;
    const after = Number(c.path.slice(slash + 1));
    if (!Number.isInteger(after) || after < next || after >= arr.length) return undefined;
    while (next <= after) out[n++] = arr[next++];
    out[n++] = { cachePoint: cachePointValue(c.ttl, rules) };
  }
  while (next < arr.length) out[n++] = arr[next++];
  return out;
}

/** Whether `a` names an element of the list `b` names one of (`messages/3/content/2`, `messages/3/content/0`). */
function sameList(a: string, b: string, slash: number): boolean {
  if (a.lastIndexOf("/") !== slash) return false;
  for (let i = 0; i < slash; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}

/**
 * How {@link applyConversePlan} writes a request that carries no `cachePoint` of its own (its layout has no
 * checkpoints), which is what the plugin sees on almost every call: nothing has to be found and dropped, so
 * the planned blocks are spliced into the lists that hold them and only those lists and their parents are
 * copied. Paths are the layout's own (`system/0`, `toolConfig/tools/2`, `messages/3/content/1`), and the
 * plan lists checkpoints in processing order. Returns undefined for a path it does not know, and the general
 * rewrite runs instead.
 * @internal
 */
export function insertCachePoints<T>(input: T, plan: CachePlan, rules: ModelRules): T | undefined {
  if (!isObj(input)) return undefined;
  const cps = plan.checkpoints;
  let copy: Json | undefined;
  let messages: unknown[] | undefined;
  for (let k = 0; k < cps.length; ) {
    const path = cps[k]!.path;
    if (cps[k]!.afterBlock < 0) {
      k++;
      continue;
    }
    const slash = path.lastIndexOf("/");
    let end = k + 1;
    while (end < cps.length && sameList(cps[end]!.path, path, slash)) end++;
    copy ??= { ...input };
    if (path.startsWith("system/") && slash === 6) {
      if (!Array.isArray(input.system)) return undefined;
      const system = spliced(input.system, cps, k, end, slash, rules);
      if (!system) return undefined;
      copy.system = system;
    } else if (path.startsWith("toolConfig/tools/") && slash === 16) {
      const tc = input.toolConfig;
      if (!isObj(tc) || !Array.isArray(tc.tools)) return undefined;
      const tools = spliced(tc.tools, cps, k, end, slash, rules);
      if (!tools) return undefined;
      copy.toolConfig = { ...tc, tools };
    } else if (path.startsWith("messages/") && path.endsWith("/content", slash)) {
      const mi = Number(path.slice(9, slash - 8));
      if (!Array.isArray(input.messages) || !Number.isInteger(mi)) return undefined;
      const m = input.messages[mi];
      if (!isObj(m) || !Array.isArray(m.content)) return undefined;
      const content = spliced(m.content, cps, k, end, slash, rules);
      if (!content) return undefined;
      messages ??= input.messages.slice();
      messages[mi] = { ...m, content };
    } else return undefined;
    k = end;
  }
  if (!copy) return input;
  if (messages) copy.messages = messages;
  return copy as T;
}
