/**
 * The UTF-8 `bytes` decoded, and the same string object again for bytes equal to ones decoded before. A long
 * prompt sent as bytes on every call would otherwise become a new string each time: for 400,000 characters that
 * costs about 450 µs (a string that size is allocated outside V8's young generation and soon collected), where
 * confirming the bytes are the same is one memory comparison. Only for the long strings of a body (see
 * `parseJsonBytes`), which runs only where `Buffer` compares bytes natively.
 * @internal
 */
export declare function decodeRemembered(bytes: Uint8Array): string;
//# sourceMappingURL=decodeRemembered.d.ts.map
