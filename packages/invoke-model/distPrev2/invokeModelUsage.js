import {
  addUsage,
  emptyUsage,
  fromAnthropicUsage,
  fromInvocationMetrics,
  normalizeUsage,
} from "@cachepoint/core";
import { isObj } from "./json.js";
import { utf8Decoder } from "./utf8.js";
/**
 * Usage of an InvokeModel response body (bytes, string or parsed): Anthropic `usage` (with the
 * `cache_creation` split) or Nova `usage`.
 * @public
 */
export function invokeModelUsage(body) {
  let parsed = body;
  if (body instanceof Uint8Array) {
    const usage = trailingUsage(body);
    if (usage !== undefined) return normalizeUsage(usage);
  }
  if (body instanceof Uint8Array || typeof body === "string") {
    try {
      parsed = JSON.parse(typeof body === "string" ? body : utf8Decoder.decode(body));
    } catch {
      return emptyUsage;
    }
  }
  return isObj(parsed) ? normalizeUsage(parsed) : emptyUsage;
}
/** How far from the end of a body its `usage` object may start: Anthropic's, with every optional field, is ~400 bytes. */
const usageWindow = 2048;
const isSpace = (b) => b === 32 || b === 10 || b === 13 || b === 9;
/**
 * The body's top-level `usage` object when it is the body's last member, as Anthropic and Nova write it: parsed
 * from the last few hundred bytes instead of decoding and parsing the whole response (the reply's text, which
 * cachepoint does not read). The match is a key (a quote after `{` or `,` cannot be inside a string), its value is
 * one object (else `JSON.parse` of the span throws), and what follows is the one brace that closes the body, so the
 * key belongs to the top-level object. Undefined when any of that fails: the caller parses the whole body.
 */
function trailingUsage(bytes) {
  let end = bytes.length - 1;
  while (isSpace(bytes[end])) end--;
  if (bytes[end] !== 125) return undefined; // "}"
  let close = end - 1;
  while (isSpace(bytes[close])) close--;
  if (bytes[close] !== 125) return undefined;
  const stop = Math.max(6, close - usageWindow);
  for (let q = close - 1; q >= stop; q--) {
    // `"usage"`: q is the closing quote
    if (
      bytes[q] !== 34 ||
      bytes[q - 1] !== 101 ||
      bytes[q - 2] !== 103 ||
      bytes[q - 3] !== 97 ||
      bytes[q - 4] !== 115 ||
      bytes[q - 5] !== 117 ||
      bytes[q - 6] !== 34
    )
      continue;
    let before = q - 7;
    while (isSpace(bytes[before])) before--;
    if (bytes[before] !== 44 && bytes[before] !== 123) continue; // not after "," or "{": not a key
    let open = q + 1;
    while (isSpace(bytes[open])) open++;
    if (bytes[open++] !== 58) continue; // ":"
    while (isSpace(bytes[open])) open++;
    if (bytes[open] !== 123) return undefined; // usage is not an object
    try {
      const usage = JSON.parse(utf8Decoder.decode(bytes.subarray(open, close + 1)));
      return isObj(usage) ? usage : undefined;
    } catch {
      return undefined; // the span is not one object: usage is not the last member
    }
  }
  return undefined;
}
/**
 * Whether a stream chunk can report usage: Anthropic's `message_start` and `message_delta` and Nova's `metadata`
 * name `usage`, and the last chunk names `amazon-bedrock-invocationMetrics`. Most chunks are text deltas, and
 * looking for the two words costs a tenth of decoding and parsing each one (where `Buffer` searches bytes natively;
 * elsewhere every chunk is parsed).
 */
const mayCarryUsage =
  typeof Buffer === "function"
    ? (bytes) =>
        Buffer.prototype.indexOf.call(bytes, "usage") >= 0 ||
        Buffer.prototype.indexOf.call(bytes, "Metrics") >= 0
    : () => true;
/**
 * Follows an InvokeModelWithResponseStream body: yields every event unchanged and calls `onUsage` once, at
 * the end of the stream, with what the chunks reported: the final `amazon-bedrock-invocationMetrics` when
 * present, otherwise Anthropic `message_start` + `message_delta` usage, or Nova `metadata.usage`.
 * The caller still consumes the stream.
 * @public
 */
export function tapInvokeModelStream(stream, onUsage) {
  return {
    async *[Symbol.asyncIterator]() {
      let start;
      let output = 0;
      let metrics;
      let latency = {};
      let nova;
      const decoder = new TextDecoder();
      try {
        for await (const event of stream) {
          const bytes = event.chunk?.bytes;
          if (bytes && mayCarryUsage(bytes)) {
            try {
              const inner = JSON.parse(decoder.decode(bytes));
              const m = inner["amazon-bedrock-invocationMetrics"];
              if (isObj(m)) {
                metrics = fromInvocationMetrics(m);
                latency = {
                  ...(typeof m.firstByteLatency === "number" && { firstByteMs: m.firstByteLatency }),
                  ...(typeof m.invocationLatency === "number" && { totalMs: m.invocationLatency }),
                };
              }
              if (inner.type === "message_start" && isObj(inner.message))
                start = fromAnthropicUsage(inner.message.usage);
              if (inner.type === "message_delta" && isObj(inner.usage))
                output = Number(inner.usage.output_tokens) || output;
              if (isObj(inner.metadata) && isObj(inner.metadata.usage))
                nova = normalizeUsage(inner.metadata.usage);
            } catch {
              // not JSON: not ours to judge; pass it on
            }
          }
          yield event;
        }
      } finally {
        const fromStart = start
          ? addUsage({ ...start, outputTokens: 0 }, { ...emptyUsage, outputTokens: output })
          : undefined;
        const usage = metrics ?? nova ?? fromStart;
        if (usage) onUsage(usage, latency);
      }
    },
  };
}
//# sourceMappingURL=invokeModelUsage.js.map
