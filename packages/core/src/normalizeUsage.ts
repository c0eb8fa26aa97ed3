import type { CacheUsage } from "./CacheUsage.js";

type Loose = Readonly<Record<string, unknown>> | null | undefined;

/** A count from an untrusted field: numbers and numeric strings ≥ 0; anything else is 0, never NaN. */
function n(v: unknown): number {
  const x = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  return Number.isFinite(x) && x > 0 ? Math.floor(x) : 0;
}

/** First present field among spellings (Bedrock sends both `…InputTokens` and `…InputTokenCount`). */
function pick(o: Loose, key: string, alias?: string): number {
  if (!o || typeof o !== "object") return 0;
  const v = o[key];
  if (v !== undefined && v !== null) return n(v);
  if (alias === undefined) return 0;
  const a = o[alias];
  return a !== undefined && a !== null ? n(a) : 0;
}

function build(
  input: number,
  read: number,
  write: number,
  w1h: number,
  w30m: number,
  output: number,
): CacheUsage {
  // The per-TTL split is authoritative when present; any remainder of the total is the 5m default.
  const split = w1h + w30m;
  const total = Math.max(write, split);
  return {
    inputTokens: input,
    cacheReadInputTokens: read,
    cacheWriteInputTokens: total,
    cacheWriteByTtl: { "5m": total - split, "1h": w1h, "30m": w30m },
    outputTokens: output,
  };
}

/**
 * Converse / ConverseStream `usage` (`TokenUsage`), including `cacheDetails` (per-TTL writes).
 * @public
 */
export function fromConverseUsage(usage: unknown): CacheUsage {
  const u = (usage ?? {}) as Record<string, unknown>;
  let w1h = 0;
  let w30m = 0;
  let w5m = 0;
  if (Array.isArray(u.cacheDetails)) {
    for (const d of u.cacheDetails as Loose[]) {
      if (!d || typeof d !== "object") continue;
      const t = pick(d, "inputTokens", "inputTokenCount");
      if (d.ttl === "1h") w1h += t;
      else if (d.ttl === "30m") w30m += t;
      else w5m += t;
    }
  }
  const write = Math.max(pick(u, "cacheWriteInputTokens", "cacheWriteInputTokenCount"), w5m + w1h + w30m);
  return build(
    pick(u, "inputTokens", "inputTokenCount"),
    pick(u, "cacheReadInputTokens", "cacheReadInputTokenCount"),
    write,
    w1h,
    w30m,
    pick(u, "outputTokens", "outputTokenCount"),
  );
}

/**
 * Anthropic Messages `usage` from an InvokeModel body or a stream's `message_start` / `message_delta`,
 * including `cache_creation.ephemeral_5m_input_tokens` / `ephemeral_1h_input_tokens`.
 * @public
 */
export function fromAnthropicUsage(usage: unknown): CacheUsage {
  const u = (usage ?? {}) as Record<string, unknown>;
  const cc = (u.cache_creation ?? undefined) as Loose;
  return build(
    pick(u, "input_tokens"),
    pick(u, "cache_read_input_tokens"),
    pick(u, "cache_creation_input_tokens"),
    pick(cc, "ephemeral_1h_input_tokens"),
    0,
    pick(u, "output_tokens"),
  );
}

/**
 * Nova InvokeModel `usage` (Converse-like names; both `…Tokens` and `…TokenCount` spellings accepted, since
 * AWS documents neither for Nova's native body).
 * @public
 */
export function fromNovaUsage(usage: unknown): CacheUsage {
  return fromConverseUsage(usage);
}

/**
 * The `amazon-bedrock-invocationMetrics` object on the last InvokeModelWithResponseStream chunk.
 * `inputTokenCount` already excludes cache reads and writes.
 * @public
 */
export function fromInvocationMetrics(metrics: unknown): CacheUsage {
  const m = (metrics ?? {}) as Record<string, unknown>;
  return build(
    pick(m, "inputTokenCount", "inputTokens"),
    pick(m, "cacheReadInputTokenCount", "cacheReadInputTokens"),
    pick(m, "cacheWriteInputTokenCount", "cacheWriteInputTokens"),
    0,
    0,
    pick(m, "outputTokenCount", "outputTokens"),
  );
}

/** Anything header-like: a WHATWG `Headers`, or a plain record (any key case). */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | string[] | undefined>>;

/**
 * The `X-Amzn-Bedrock-*-Token-Count` headers of an InvokeModel response (any case).
 * @public
 */
export function fromBedrockHeaders(headers: HeaderSource): CacheUsage {
  let get: (name: string) => unknown;
  if (typeof (headers as { get?: unknown }).get === "function") {
    const h = headers as { get(name: string): string | null };
    get = (name) => h.get(name);
  } else {
    const lower = new Map<string, unknown>();
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
      lower.set(k.toLowerCase(), Array.isArray(v) ? v[0] : v);
    }
    get = (name) => lower.get(name);
  }
  return build(
    n(get("x-amzn-bedrock-input-token-count")),
    n(get("x-amzn-bedrock-cache-read-input-token-count")),
    n(get("x-amzn-bedrock-cache-write-input-token-count")),
    0,
    0,
    n(get("x-amzn-bedrock-output-token-count")),
  );
}

/**
 * Detects which shape a usage object has and normalises it: Converse/Nova (`inputTokens`), Anthropic
 * (`input_tokens`), or invocation metrics (`inputTokenCount`). A whole response body works too (its
 * `usage` or `amazon-bedrock-invocationMetrics` is read).
 * @public
 */
export function normalizeUsage(value: unknown): CacheUsage {
  const v = (value ?? {}) as Record<string, unknown>;
  if (v.usage && typeof v.usage === "object") return normalizeUsage(v.usage);
  const metrics = v["amazon-bedrock-invocationMetrics"];
  if (metrics && typeof metrics === "object") return fromInvocationMetrics(metrics);
  if (
    "input_tokens" in v ||
    "cache_read_input_tokens" in v ||
    "cache_creation_input_tokens" in v ||
    "output_tokens" in v
  ) {
    return fromAnthropicUsage(v);
  }
  if ("inputTokenCount" in v && !("inputTokens" in v)) return fromInvocationMetrics(v);
  return fromConverseUsage(v);
}
