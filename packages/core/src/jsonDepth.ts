/**
 * Nesting depth of a JSON value, computed without recursion (so it cannot overflow the stack on the very
 * input it guards against). Stops counting past `limit`.
 * @public
 */
export function jsonDepth(value: unknown, limit = 1000): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (d > max) max = d;
    if (max > limit) return max;
    // for…in, not Object.values: no array allocated per node (this runs on every request).
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const child = o[k];
      if (child !== null && typeof child === "object") stack.push([child, d + 1]);
    }
  }
  return max;
}

/** Deepest JSON nesting cachepoint reads; deeper requests are refused as malformed (Bedrock refuses them too). @public */
export const maxJsonDepth = 500;
