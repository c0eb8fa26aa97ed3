import { BytesMemo } from "@cachepoint/core";
import { utf8DecoderKeepingBom } from "./utf8.js";

/** Decoded strings by content, up to 16 MiB of bytes. */
const decoded = new BytesMemo(256, 16 * 1024 * 1024);
/**
 * The UTF-8 `bytes` decoded, and the same string object again for bytes equal to ones decoded before. A long
 * prompt sent as bytes on every call would otherwise become a new string each time: for 400,000 characters that
 * costs about 450 µs (a string that size is allocated outside V8's young generation and soon collected), where
 * confirming the bytes are the same is one memory comparison. Only for the long strings of a body (see
 * `parseJsonBytes`), which runs only where `Buffer` compares bytes natively.
 * @internal
 */
export function decodeRemembered(bytes) {
  let text = decoded.get(bytes);
  if (text === undefined) {
    text = utf8DecoderKeepingBom.decode(bytes);
    decoded.set(bytes, text);
  }
  return text;
}
//# sourceMappingURL=decodeRemembered.js.map
