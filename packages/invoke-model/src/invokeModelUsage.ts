import {
  addUsage,
  type CacheUsage,
  emptyUsage,
  fromAnthropicUsage,
  fromInvocationMetrics,
  normalizeUsage,
} from "@cachepoint/core";
import { isObj, type Json } from "./json.js";
import { utf8Decoder } from "./utf8.js";

/**
 * Usage of an InvokeModel response body (bytes, string or parsed): Anthropic `usage` (with the
 * `cache_creation` split) or Nova `usage`.
 * @public
 */
export function invokeModelUsage(body: unknown): CacheUsage {
  let parsed = body;
  if (body instanceof Uint8Array || typeof body === "string") {
    try {
      parsed = JSON.parse(typeof body === "string" ? body : utf8Decoder.decode(body));
    } catch {
      return emptyUsage;
    }
  }
  return isObj(parsed) ? normalizeUsage(parsed) : emptyUsage;
}

/**
 * Follows an InvokeModelWithResponseStream body: yields every event unchanged and calls `onUsage` once, at
 * the end of the stream, with what the chunks reported: the final `amazon-bedrock-invocationMetrics` when
 * present, otherwise Anthropic `message_start` + `message_delta` usage, or Nova `metadata.usage`.
 * The caller still consumes the stream.
 * @public
 */
export function tapInvokeModelStream<E extends { chunk?: { bytes?: Uint8Array } }>(
  stream: AsyncIterable<E>,
  onUsage: (usage: CacheUsage, latency: { firstByteMs?: number; totalMs?: number }) => void,
): AsyncIterable<E> {
  return {
    async *[Symbol.asyncIterator]() {
      let start: CacheUsage | undefined;
      let output = 0;
      let metrics: CacheUsage | undefined;
      let latency: { firstByteMs?: number; totalMs?: number } = {};
      let nova: CacheUsage | undefined;
      const decoder = new TextDecoder();
      try {
        for await (const event of stream) {
          const bytes = event.chunk?.bytes;
          if (bytes) {
            try {
              const inner = JSON.parse(decoder.decode(bytes)) as Json;
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
