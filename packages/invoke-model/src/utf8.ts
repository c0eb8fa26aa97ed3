/** One encoder and one decoder for the package: constructing them costs more than a small body's decode. */
export const utf8Encoder = new TextEncoder();
export const utf8Decoder = new TextDecoder();
