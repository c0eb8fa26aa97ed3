import { contentFingerprintBytes } from "@cachepoint/core";
/** A JSON object as read from a request or response body. */
export type Json = Record<string, unknown>;

/** True for a plain JSON object: not null, not an array. */
export const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** JSON text of any value, for messages and fingerprints; never throws (a cycle or a BigInt gives `String(v)`). */
export function stableJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? "";
  } catch {
    return String(v);
  }
}

/**
 * JSON text of a request that names bytes (an image as the SDK takes it) by size and content hash instead of
 * writing every byte as a numbered key: a key for memos, not something to send.
 */
export function contentKeyJson(v: unknown): string {
  return JSON.stringify(v, (_key, value: unknown) =>
    ArrayBuffer.isView(value) ? `bytes:${value.byteLength}:${contentFingerprintBytes(value)}` : value,
  );
}
