/**
 * Nesting depth of a JSON value, computed without recursion (so it cannot overflow the stack on the very
 * input it guards against). Stops counting past `limit`.
 * @public
 */
export function jsonDepth(value: unknown, limit = 1000): number {
  if (value === null || typeof value !== "object") return 0;
  let max = 0;
  // Two parallel stacks instead of a [value, depth] pair per node: this runs on every request, and allocating
  // inside the SDK's call path costs several times what it costs in a tight loop (apps/bench).
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const o = values.pop() as Record<string, unknown>;
    const d = depths.pop()!;
    if (d > max) {
      max = d;
      if (max > limit) return max;
    }
    if (Array.isArray(o)) {
      // Indexed: for…in over an array enumerates its indices as strings.
      for (let i = 0; i < o.length; i++) {
        const child: unknown = o[i];
        if (child !== null && typeof child === "object") {
          values.push(child);
          depths.push(d + 1);
        }
      }
      continue;
    }
    // for…in, not Object.values: no array allocated per node.
    // Bytes (an image as the SDK takes them) hold numbers only: a leaf. for…in would first list all 300,000 of
    // their indices. (Checked after arrays, the commonest nodes; on a 100-step agent no slower than without.)
    if (ArrayBuffer.isView(o)) continue;
    for (const k in o) {
      const child = o[k];
      if (child !== null && typeof child === "object") {
        values.push(child);
        depths.push(d + 1);
      }
    }
  }
  return max;
}

/** Deepest JSON nesting cachepoint reads; deeper requests are refused as malformed (Bedrock refuses them too). @public */
export const maxJsonDepth = 500;
