import { type CacheUsage } from "@cachepoint/core";
/**
 * Usage of an InvokeModel response body (bytes, string or parsed): Anthropic `usage` (with the
 * `cache_creation` split) or Nova `usage`.
 * @public
 */
export declare function invokeModelUsage(body: unknown): CacheUsage;
/**
 * Follows an InvokeModelWithResponseStream body: yields every event unchanged and calls `onUsage` once, at
 * the end of the stream, with what the chunks reported: the final `amazon-bedrock-invocationMetrics` when
 * present, otherwise Anthropic `message_start` + `message_delta` usage, or Nova `metadata.usage`.
 * The caller still consumes the stream.
 * @public
 */
export declare function tapInvokeModelStream<
  E extends {
    chunk?: {
      bytes?: Uint8Array;
    };
  },
>(
  stream: AsyncIterable<E>,
  onUsage: (
    usage: CacheUsage,
    latency: {
      firstByteMs?: number;
      totalMs?: number;
    },
  ) => void,
): AsyncIterable<E>;
//# sourceMappingURL=invokeModelUsage.d.ts.map
