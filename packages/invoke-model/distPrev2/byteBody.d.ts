/**
 * The bytes of an InvokeModel body given as bytes: a `Uint8Array` (or `Buffer`), any other typed array or
 * `DataView`, or an `ArrayBuffer`, all of which the SDK sends as they are. Undefined for anything else.
 * @internal
 */
export declare function bytesOf(body: unknown): Uint8Array | undefined;
/**
 * New body bytes in the kind of the body they replace, so a caller's types hold: an `ArrayBuffer` for an
 * `ArrayBuffer`, a `DataView` for a `DataView`, a `Buffer` for a `Buffer`, and a view of the same type for any other
 * typed array (the SDK sends each of them byte for byte). The bytes are always a fresh buffer of their own.
 * @internal
 */
export declare function asBodyKind<B>(original: B, bytes: Uint8Array): B;
/**
 * Why a body that is not text, bytes or an object cannot be planned, or undefined when it can: a stream or a
 * `Blob` can only be read by consuming it, which would leave the SDK nothing to send.
 * @internal
 */
export declare function unreadableBody(body: unknown): string | undefined;
//# sourceMappingURL=byteBody.d.ts.map
