/** What {@link contentCopy} returns for a value it does not copy. */
export const notCopied: unique symbol = Symbol("not copied");

/** A plain object as it was: its own enumerable keys in order, and their values (copied). */
class CopiedObject {
  constructor(
    readonly keys: readonly string[],
    readonly values: readonly unknown[],
  ) {}
}

/**
 * A copy of a JSON-like value as it is now, to compare the value with later ({@link sameContent}): arrays and plain
 * objects copied, strings, numbers, booleans, null and undefined kept as they are. Anything else (bytes, a Date, a
 * class instance, a function) gives {@link notCopied}: what it holds cannot be compared cheaply, or can change
 * without a trace.
 */
export function contentCopy(v: unknown): unknown {
  if (typeof v !== "object" || v === null) {
    return typeof v === "function" || typeof v === "symbol" || typeof v === "bigint" ? notCopied : v;
  }
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const c = contentCopy(v[i]);
      if (c === notCopied) return notCopied;
      out[i] = c;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return notCopied;
  const keys = Object.keys(v);
  const values: unknown[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const c = contentCopy((v as Record<string, unknown>)[keys[i]!]);
    if (c === notCopied) return notCopied;
    values[i] = c;
  }
  return new CopiedObject(keys, values);
}

/**
 * Whether `v` holds what `copy` (a {@link contentCopy}) held: the same keys in the same order, the same values.
 * Strings compare by content, so the same string object costs one pointer comparison.
 */
export function sameContent(v: unknown, copy: unknown): boolean {
  if (v === copy) return true;
  if (typeof v !== "object" || v === null) return false;
  if (copy instanceof CopiedObject) {
    if (Array.isArray(v)) return false;
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    const keys = Object.keys(v);
    const copied = copy.keys;
    if (keys.length !== copied.length) return false;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (k !== copied[i] || !sameContent((v as Record<string, unknown>)[k], copy.values[i])) return false;
    }
    return true;
  }
  if (!Array.isArray(v) || !Array.isArray(copy) || v.length !== copy.length) return false;
  for (let i = 0; i < v.length; i++) if (!sameContent(v[i], copy[i])) return false;
  return true;
}
