/** One encoder and one decoder for the package: constructing them costs more than a small body's decode. */
export declare const utf8Encoder: import("util").TextEncoder;
export declare const utf8Decoder: import("util").TextDecoder;
/** For text decoded in pieces: only the start of a body may carry a byte-order mark to drop, as a whole decode does. */
export declare const utf8DecoderKeepingBom: import("util").TextDecoder;
//# sourceMappingURL=utf8.d.ts.map
