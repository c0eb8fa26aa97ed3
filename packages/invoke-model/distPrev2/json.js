/** True for a plain JSON object: not null, not an array. */
export const isObj = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
/** JSON text of any value, for messages and fingerprints; never throws (a cycle or a BigInt gives `String(v)`). */
export function stableJson(v) {
  try {
    return JSON.stringify(v) ?? "";
  } catch {
    return String(v);
  }
}
//# sourceMappingURL=json.js.map
