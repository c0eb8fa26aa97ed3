/** A JSON object as read from a request or response body. */
export type Json = Record<string, unknown>;
/** True for a plain JSON object: not null, not an array. */
export declare const isObj: (v: unknown) => v is Json;
/** JSON text of any value, for messages and fingerprints; never throws (a cycle or a BigInt gives `String(v)`). */
export declare function stableJson(v: unknown): string;
//# sourceMappingURL=json.d.ts.map
