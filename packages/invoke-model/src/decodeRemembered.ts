import { utf8DecoderKeepingBom } from "./utf8.js";

/** Decoded strings by content: entries and bytes held are both bounded; the oldest entry goes first. */
const entries = new Map<number, { readonly bytes: Uint8Array; readonly text: string }[]>();
const maxEntries = 256;
const maxBytes = 16 * 1024 * 1024;
let heldEntries = 0;
let heldBytes = 0;

/**
 * The UTF-8 `bytes` decoded, and the same string object again for bytes equal to ones decoded before. A long
 * prompt sent as bytes on every call would otherwise become a new string each time: for 400,000 characters that
 * costs about 450 µs (a string that size is allocated outside V8's young generation and soon collected), where
 * confirming the bytes are the same is one memory comparison. Only for the long strings of a body (see
 * `parseJsonBytes`), and only where `Buffer` compares bytes natively.
 * @internal
 */
export function decodeRemembered(bytes: Uint8Array): string {
  const key = sampleKey(bytes);
  const bucket = entries.get(key);
  if (bucket) for (const e of bucket) if (Buffer.prototype.equals.call(e.bytes, bytes)) return e.text;
  const text = utf8DecoderKeepingBom.decode(bytes);
  while ((heldEntries >= maxEntries || heldBytes + bytes.length > maxBytes) && heldEntries > 0) evictOldest();
  if (bytes.length > maxBytes) return text;
  // A copy: the caller may reuse its buffer for the next request.
  const entry = { bytes: bytes.slice(), text };
  if (bucket) bucket.push(entry);
  else entries.set(key, [entry]);
  heldEntries++;
  heldBytes += bytes.length;
  return text;
}

function evictOldest(): void {
  const [key, bucket] = entries.entries().next().value as [number, { bytes: Uint8Array }[]];
  const gone = bucket.shift()!;
  if (bucket.length === 0) entries.delete(key);
  heldEntries--;
  heldBytes -= gone.bytes.length;
}

/** The length and two dozen bytes sampled across the content (as `ContentMemo` keys strings). */
function sampleKey(b: Uint8Array): number {
  const n = b.length;
  let h = Math.imul(n ^ 0x2f6b1d3c, 0x9e3779b1);
  const step = n <= 32 ? 1 : (n >>> 4) | 0;
  for (let i = 0; i < n; i += step) h = Math.imul(h ^ b[i]!, 0x85ebca6b);
  for (let i = n > 8 ? n - 8 : 0; i < n; i++) h = Math.imul(h ^ b[i]!, 0xc2b2ae35);
  return (h ^ (h >>> 15)) & 0x3fffffff;
}
