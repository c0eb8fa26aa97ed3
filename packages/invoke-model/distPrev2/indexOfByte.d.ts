/**
 * Where byte `value` first occurs in `bytes` at or after `from`, or -1; undefined where `Buffer` is not available.
 * Node's `Buffer#indexOf` is a `memchr` (about 4 µs over 400,000 bytes on the bench machine), where
 * `Uint8Array#indexOf` compares element by element (about 170 µs), so byte scanning is done only where it is fast.
 * @internal
 */
export declare const indexOfByte: ((bytes: Uint8Array, value: number, from: number) => number) | undefined;
//# sourceMappingURL=indexOfByte.d.ts.map
