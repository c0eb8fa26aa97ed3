import { type CacheUsage, fromConverseUsage } from "@cachepoint/core";

/** Usage of a Converse response (its `usage`, with `cacheDetails` split by TTL). @public */
export function converseUsage(output: { usage?: unknown } | undefined): CacheUsage {
  return fromConverseUsage(output?.usage);
}

/**
 * Wraps a ConverseStream event stream: yields every event unchanged, in order, and calls `onUsage` when the
 * `metadata` event passes by. The caller still consumes the stream; nothing is read ahead or buffered.
 * @public
 */
export function tapConverseStream<
  E extends { metadata?: { usage?: unknown; metrics?: { latencyMs?: number } } },
>(
  stream: AsyncIterable<E>,
  onUsage: (usage: CacheUsage, latencyMs: number | undefined) => void,
): AsyncIterable<E> {
  return {
    async *[Symbol.asyncIterator]() {
      for await (const event of stream) {
        if (event.metadata)
          onUsage(fromConverseUsage(event.metadata.usage), event.metadata.metrics?.latencyMs);
        yield event;
      }
    },
  };
}
