import { LruCache } from "./internal/LruCache.js";

/**
 * A fast, deterministic 64-bit content hash (two independent 32-bit lanes, cyrb53-style mixing), as 16 hex
 * characters. Not cryptographic: it identifies prompt content for miss diagnostics and the cache simulator,
 * where an accidental collision (about 1 in 2^32 pairs per lane) is the only risk.
 * @public
 */
export function fingerprint(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, "0") + (h1 >>> 0).toString(16).padStart(8, "0");
}

/**
 * Chains a block fingerprint onto the fingerprint of everything before it, so the fingerprint of a prefix
 * identifies the whole prefix and each checkpoint is looked up in O(1).
 * @public
 */
export function chainFingerprint(previous: string, block: string): string {
  return fingerprint(`${previous}|${block}`);
}

const memo = new LruCache<string, string>(4096);

/**
 * `fingerprint(text)` memoised per content for long strings (≥ 256 characters), so a system prompt sent
 * again costs a map lookup instead of a pass over its characters.
 * @public
 */
export function contentFingerprint(text: string): string {
  if (text.length < 256) return fingerprint(text);
  let h = memo.get(text);
  if (h === undefined) {
    h = fingerprint(text);
    memo.set(text, h);
  }
  return h;
}
