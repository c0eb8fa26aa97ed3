/** Strings at least this long are taken from the text as slices instead of being parsed. @internal */
export declare const bigString = 4096;
/** Below this, a body cannot hold enough big strings to be worth the scan. @internal */
export declare const minText = 8192;
/**
 * How the placeholder looks in JSON text: if the body's short strings hold it, content could pass for a placeholder.
 * @internal
 */
export declare const placeholderJson = "\\u0000cachepoint:";
/**
 * `JSON.parse(text)` for an InvokeModel body, without decoding its longest strings. A system prompt or a document
 * of 400,000 characters is most of the body, and parsing copies and checks it character by character (about
 * 1.3 ns each), while cachepoint only needs to read it. So strings of 4,096 characters and more are found with
 * `indexOf`, replaced by short placeholders for `JSON.parse`, and put back as slices of the text (no copy); one
 * with escapes is decoded on its own. The result equals `JSON.parse(text)` for every valid body. One check is
 * given up for those strings: a raw control character inside one (which `JSON.stringify` never writes) is not
 * refused here, and Bedrock refuses the body itself. Anything unusual (a long key, short strings that hold the
 * placeholder text, mostly short strings) falls back to `JSON.parse`, which also throws for invalid JSON.
 * @internal
 */
export declare function parseJsonText(text: string): unknown;
/** @internal */
export declare const isSpace: (c: number | undefined) => c is 32 | 13 | 10 | 9;
/**
 * How many times the placeholder occurs in a skeleton: it must be exactly once per big string taken out, or the
 * body's own short strings hold the placeholder text.
 * @internal
 */
export declare function placeholders(skeleton: string): number;
/** Puts the big strings back where their placeholders are (iteratively: bodies can nest deep). @internal */
export declare function restore(root: unknown, values: readonly string[]): unknown;
//# sourceMappingURL=parseJsonText.d.ts.map
