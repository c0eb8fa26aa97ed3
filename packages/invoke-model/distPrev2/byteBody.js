/**
 * The bytes of an InvokeModel body given as bytes: a `Uint8Array` (or `Buffer`), any other typed array or
 * `DataView`, or an `ArrayBuffer`, all of which the SDK sends as they are. Undefined for anything else.
 * @internal
 */
export function bytesOf(body) {
  if (body instanceof Uint8Array) return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return undefined;
}
/**
 * New body bytes in the kind of the body they replace, so a caller's types hold: an `ArrayBuffer` for an
 * `ArrayBuffer`, a `DataView` for a `DataView`, a `Buffer` for a `Buffer`, and a view of the same type for any other
 * typed array (the SDK sends each of them byte for byte). The bytes are always a fresh buffer of their own.
 * @internal
 */
export function asBodyKind(original, bytes) {
  const { buffer, byteOffset, byteLength } = bytes;
  if (original instanceof ArrayBuffer)
    return byteOffset === 0 && byteLength === buffer.byteLength ? buffer : bytes.slice().buffer;
  if (original instanceof DataView) return new DataView(buffer, byteOffset, byteLength);
  if (typeof Buffer !== "undefined" && Buffer.isBuffer(original))
    return Buffer.from(buffer, byteOffset, byteLength);
  if (ArrayBuffer.isView(original) && !(original instanceof Uint8Array)) {
    const View = original.constructor;
    const size = original.BYTES_PER_ELEMENT;
    // A JSON body in 2-, 4- or 8-byte elements is odd enough; one whose new length does not fit them stays bytes.
    if (byteLength % size === 0 && byteOffset % size === 0)
      return new View(buffer, byteOffset, byteLength / size);
  }
  return bytes;
}
/**
 * Why a body that is not text, bytes or an object cannot be planned, or undefined when it can: a stream or a
 * `Blob` can only be read by consuming it, which would leave the SDK nothing to send.
 * @internal
 */
export function unreadableBody(body) {
  if (typeof body !== "object" || body === null || bytesOf(body) !== undefined) return undefined;
  const kind =
    typeof Blob !== "undefined" && body instanceof Blob
      ? "a Blob"
      : typeof body.getReader === "function"
        ? "a web ReadableStream"
        : typeof body[Symbol.asyncIterator] === "function"
          ? "a stream"
          : undefined;
  return kind
    ? `The InvokeModel body is ${kind}, which cachepoint cannot read without consuming it; give the body as a string or bytes (e.g. collect the stream into a Buffer first) to have it planned.`
    : undefined;
}
//# sourceMappingURL=byteBody.js.map
