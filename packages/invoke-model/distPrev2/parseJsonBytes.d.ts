/**
 * `JSON.parse` of a body given as UTF-8 bytes, as {@link parseJsonText} does for text, without decoding the whole
 * body: its long strings (4,096 bytes and more) are found in the bytes, decoded once per content (see
 * `decodeRemembered`) and put back into a parse of the rest. Decoding a 400,000-byte body into one string costs
 * about 450 µs on every call however it is done, most of the plugin's cost on such a body. The result equals
 * `JSON.parse` of the decoded body, with the one check {@link parseJsonText} also gives up for long strings.
 * Undefined where it does not apply (no `Buffer`, a short body, no long string, a long key, mostly short strings,
 * invalid JSON): the caller decodes the body and parses the text instead.
 * @internal
 */
export declare function parseJsonBytes(bytes: Uint8Array): unknown;
//# sourceMappingURL=parseJsonBytes.d.ts.map
