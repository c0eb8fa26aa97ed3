import { EventStreamCodec } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const s = (value: string) => ({ type: "string" as const, value });

/** An `application/vnd.amazon.eventstream` event frame; the payload is the event structure itself, unwrapped. @internal */
export function eventFrame(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ":message-type": s("event"),
      ":event-type": s(eventType),
      ":content-type": s("application/json"),
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** A modeled exception frame; `member` is the union member name (e.g. `throttlingException`). @internal */
export function exceptionFrame(member: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ":message-type": s("exception"),
      ":exception-type": s(member),
      ":content-type": s("application/json"),
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** An InvokeModelWithResponseStream chunk: the model-native JSON event, base64 inside `{"bytes"}`. @internal */
export function chunkFrame(inner: unknown): Uint8Array {
  return eventFrame("chunk", { bytes: Buffer.from(JSON.stringify(inner)).toString("base64") });
}

/** Decodes frames (for tests and clients of the mock that want to look inside). @public */
export function decodeFrames(bytes: Uint8Array): { headers: Record<string, string>; body: unknown }[] {
  const out: { headers: Record<string, string>; body: unknown }[] = [];
  let offset = 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  while (offset < bytes.byteLength) {
    const len = view.getUint32(offset);
    const msg = codec.decode(bytes.subarray(offset, offset + len));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(msg.headers)) headers[k] = String(v.value);
    out.push({ headers, body: JSON.parse(toUtf8(msg.body)) });
    offset += len;
  }
  return out;
}
