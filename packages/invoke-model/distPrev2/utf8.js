/** One encoder and one decoder for the package: constructing them costs more than a small body's decode. */
export const utf8Encoder = new TextEncoder();
export const utf8Decoder = new TextDecoder();
/** For text decoded in pieces: only the start of a body may carry a byte-order mark to drop, as a whole decode does. */
export const utf8DecoderKeepingBom = new TextDecoder("utf-8", { ignoreBOM: true });
//# sourceMappingURL=utf8.js.map
