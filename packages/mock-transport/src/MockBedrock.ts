import { converseLayout } from "@cachepoint/converse";
import {
  type CacheUsage,
  createModelRegistry,
  defaultTokenCounter,
  getDefaultRegistry,
  isCachepointError,
  type ModelRegistry,
  type ModelRegistryOptions,
  type PromptLayout,
  type ResolvedModel,
  type TokenCounter,
} from "@cachepoint/core";
import { detectBodyFormat, invokeModelLayout } from "@cachepoint/invoke-model";
import { defaultAccounts, type MockAccount } from "./accounts.js";
import { authenticate } from "./authenticate.js";
import { BedrockError, type BedrockErrorName, messages, streamMemberOf } from "./BedrockError.js";
import { type CacheEntryInfo, CacheSimulator } from "./CacheSimulator.js";
import { type Clock, createManualClock, type ManualClock } from "./Clock.js";
import { cachingError } from "./cachingError.js";
import { chunkFrame, eventFrame, exceptionFrame } from "./eventStream.js";
import { defaultLatencyModel, type LatencyModel, latencyOf } from "./LatencyModel.js";
import type { MockRequest, MockResponse } from "./MockRequest.js";
import { createPrng, prngUuid } from "./prng.js";
import { deterministicResponder, type MockOperation, type MockReply, type Responder } from "./Responder.js";
import { validateMockOptions } from "./validateMockOptions.js";

/** Seeded fault injection: the probability of each fault per request. @public */
export interface FaultOptions {
  readonly throttling?: number;
  readonly internalError?: number;
  readonly serviceUnavailable?: number;
  readonly modelNotReady?: number;
  /** Probability that a stream fails after its first event (a modelStreamErrorException frame). */
  readonly midStream?: number;
}

/** Options for {@link MockBedrock}. @public */
export interface MockBedrockOptions {
  /** Default: a manual clock starting now; advance it with `advance(ms)`. Nothing sleeps. */
  clock?: Clock;
  accounts?: readonly MockAccount[];
  /** Verify SigV4 signatures (default false in-process; the server turns it on). */
  verifySignatures?: boolean;
  /** Region for callers whose Region cannot be read from the request (bearer keys). Default us-east-1. */
  region?: string;
  /** A model registry, or options to build one (overrides, aliases for application-inference-profile ARNs). */
  models?: ModelRegistry | ModelRegistryOptions;
  counter?: TokenCounter;
  /** Cache entries kept at most (LRU). Default 100,000. */
  maxEntries?: number;
  latency?: Partial<LatencyModel>;
  /** Really wait the modelled latency × this factor (0 = never wait; default 0). */
  realTimeScale?: number;
  faults?: FaultOptions;
  /** Seed for fault injection and request IDs. Default 1. */
  seed?: number;
  responder?: Responder;
  /** Calls kept in the call log (oldest dropped first), so a long-running mock stays bounded. Default 10,000. */
  maxCalls?: number;
  /** Emit `cacheDetails` in ConverseStream metadata (modelled in the API; one AWS sample says it is absent). Default true. */
  streamCacheDetails?: boolean;
}

/** One call as the mock saw it. @public */
export interface CallRecord {
  readonly requestId: string;
  readonly at: number;
  readonly operation: MockOperation | "unknown";
  readonly modelId: string | undefined;
  readonly resolvedModelId: string | undefined;
  readonly accountId: string | undefined;
  readonly region: string | undefined;
  readonly status: number;
  readonly errorType?: BedrockErrorName;
  readonly usage?: CacheUsage;
  readonly latencyMs?: number;
}

const ops: Record<string, MockOperation> = {
  invoke: "InvokeModel",
  "invoke-with-response-stream": "InvokeModelWithResponseStream",
  converse: "Converse",
  "converse-stream": "ConverseStream",
  "count-tokens": "CountTokens",
};
const MAX_BODY = 25_000_000;
const ROUTE = /^\/model\/([^/?]+)\/([a-z-]+)$/;
const decoder = new TextDecoder();
const encoder = new TextEncoder();
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A Bedrock Runtime that really caches. One request→response function (`handle`) behind every front end:
 * the in-process `requestHandler`, the msw handlers and the standalone server.
 * @example
 * const mock = new MockBedrock();
 * const client = createMockClient(mock);
 * await client.send(new ConverseCommand({ modelId: "us.anthropic.claude-sonnet-4-6", system, messages }));
 * mock.advance(6 * 60_000); // the 5-minute entries expire
 * @public
 */
export class MockBedrock {
  readonly clock: Clock;
  readonly simulator: CacheSimulator;
  readonly accounts: readonly MockAccount[];
  readonly region: string;
  readonly #registry: ModelRegistry;
  readonly #counter: TokenCounter;
  readonly #latency: LatencyModel;
  readonly #options: MockBedrockOptions;
  readonly #queue: MockReply[] = [];
  readonly #failures: { type: BedrockErrorName; message: string; count: number; midStream: boolean }[] = [];
  #calls: CallRecord[] = [];
  readonly #maxCalls: number;
  #random: () => number;
  #ids: () => number;
  #callIndex = 0;

  constructor(options: MockBedrockOptions = {}) {
    validateMockOptions(options);
    this.#options = options;
    this.clock = options.clock ?? createManualClock(Date.now());
    this.simulator = new CacheSimulator({
      clock: this.clock,
      ...(options.maxEntries !== undefined && { maxEntries: options.maxEntries }),
    });
    this.accounts = options.accounts ?? defaultAccounts;
    this.region = options.region ?? "us-east-1";
    const m = options.models;
    this.#registry = m === undefined ? getDefaultRegistry() : "resolve" in m ? m : createModelRegistry(m);
    this.#counter = options.counter ?? defaultTokenCounter();
    this.#latency = { ...defaultLatencyModel, ...options.latency };
    this.#random = createPrng(options.seed ?? 1);
    this.#ids = createPrng((options.seed ?? 1) ^ 0x9e3779b9);
    this.#maxCalls = Math.max(1, options.maxCalls ?? 10_000);
  }

  /** Moves a manual clock forward (throws for a system clock). Returns the new time. */
  advance(ms: number): number {
    const c = this.clock as Partial<ManualClock>;
    if (typeof c.advance !== "function")
      throw new Error("advance() needs a manual clock; this mock runs on the system clock");
    return c.advance(ms);
  }

  /** Queues replies the next calls return, before the responder is asked. */
  enqueue(...replies: MockReply[]): void {
    this.#queue.push(...replies);
  }

  /** Makes the next `count` calls fail with a Bedrock error (or, with `midStream`, fail streams after their first event). */
  failNext(
    type: BedrockErrorName,
    options: { count?: number; message?: string; midStream?: boolean } = {},
  ): void {
    this.#failures.push({
      type,
      message: options.message ?? defaultFaultMessage(type),
      count: options.count ?? 1,
      midStream: options.midStream ?? false,
    });
  }

  /** The newest calls, oldest first (at most `maxCalls`). */
  calls(): readonly CallRecord[] {
    return this.#calls.length > this.#maxCalls ? this.#calls.slice(-this.#maxCalls) : this.#calls;
  }

  cache(): CacheEntryInfo[] {
    return this.simulator.entries();
  }

  /** Clears the cache, the call log, queued replies and failures, and restarts the seeded randomness. */
  reset(): void {
    this.simulator.reset();
    this.#calls = [];
    this.#queue.length = 0;
    this.#failures.length = 0;
    this.#callIndex = 0;
    this.#random = createPrng(this.#options.seed ?? 1);
    this.#ids = createPrng((this.#options.seed ?? 1) ^ 0x9e3779b9);
  }

  /** Answers one request the way Bedrock Runtime would. Never throws: failures become Bedrock error responses. */
  async handle(req: MockRequest): Promise<MockResponse> {
    const requestId = prngUuid(this.#ids);
    const record: { -readonly [K in keyof CallRecord]: CallRecord[K] } = {
      requestId,
      at: this.clock.now(),
      operation: "unknown",
      modelId: undefined,
      resolvedModelId: undefined,
      accountId: undefined,
      region: undefined,
      status: 200,
    };
    this.#calls.push(record);
    // Trim in batches (amortised O(1) per call); calls() shows only the newest maxCalls.
    if (this.#calls.length >= this.#maxCalls * 2) this.#calls = this.#calls.slice(-this.#maxCalls);
    try {
      const res = await this.#handle(req, requestId, record);
      record.status = res.status;
      return res;
    } catch (e) {
      // A request cachepoint's readers refuse (malformed, nested too deep) is the caller's fault: 400, as Bedrock.
      const err =
        e instanceof BedrockError
          ? e
          : isCachepointError(e) && (e.reason === "malformed-request" || e.reason === "invalid-layout")
            ? new BedrockError("ValidationException", `${messages.malformed} (${e.message})`)
            : new BedrockError(
                "InternalServerException",
                `The mock failed: ${(e as Error)?.message ?? String(e)}`,
              );
      record.status = err.status;
      record.errorType = err.type;
      return errorResponse(err, requestId);
    }
  }

  async #handle(
    req: MockRequest,
    requestId: string,
    record: { -readonly [K in keyof CallRecord]: CallRecord[K] },
  ): Promise<MockResponse> {
    const path = req.rawPath.split("?")[0] ?? "";
    const route = ROUTE.exec(path);
    const op = route ? ops[route[2]!] : undefined;
    if (!route || !op || req.method.toUpperCase() !== "POST") {
      throw new BedrockError("UnknownOperationException", `Unknown operation: ${req.method} ${path}`);
    }
    record.operation = op;
    let modelId: string;
    try {
      modelId = decodeURIComponent(route[1]!);
    } catch {
      throw new BedrockError("ValidationException", messages.invalidModel);
    }
    record.modelId = modelId;
    const caller = await authenticate(req, this.accounts, {
      verify: this.#options.verifySignatures ?? false,
      now: () => Date.now(),
      defaultRegion: this.region,
    });
    record.accountId = caller.accountId;
    const region = caller.region ?? this.region;
    record.region = region;
    if (req.body.byteLength > MAX_BODY) {
      throw new BedrockError(
        "ValidationException",
        `1 validation error detected: Value at 'body' failed to satisfy constraint: Member must have length less than or equal to ${MAX_BODY}`,
      );
    }
    const scripted = this.#failures[0];
    let midStreamFailure: BedrockError | undefined;
    if (scripted) {
      scripted.count--;
      if (scripted.count <= 0) this.#failures.shift();
      const err = new BedrockError(scripted.type, scripted.message);
      if (!scripted.midStream) throw err;
      midStreamFailure = err;
    } else {
      const f = this.#options.faults;
      if (f) {
        const roll = this.#random();
        let acc = 0;
        for (const [type, p] of [
          ["ThrottlingException", f.throttling],
          ["InternalServerException", f.internalError],
          ["ServiceUnavailableException", f.serviceUnavailable],
          ["ModelNotReadyException", f.modelNotReady],
        ] as const) {
          acc += p ?? 0;
          if (roll < acc) throw new BedrockError(type, defaultFaultMessage(type));
        }
        if (f.midStream && this.#random() < f.midStream) {
          midStreamFailure = new BedrockError(
            "ModelStreamErrorException",
            "The model stream ended unexpectedly.",
            { originalStatusCode: 500 },
          );
        }
      }
    }
    const model = this.#registry.tryResolve(modelId, { region });
    if (!model) {
      const hint = modelId.startsWith("arn:")
        ? " (cachepoint mock: map this ARN to a model with the `models.aliases` option, or `cachepoint mock serve --alias <ARN>=<model ID>`)"
        : "";
      throw new BedrockError("ValidationException", `${messages.invalidModel}${hint}`);
    }
    record.resolvedModelId = model.id;
    let parsed: unknown;
    if (op !== "InvokeModel" && op !== "InvokeModelWithResponseStream") {
      try {
        parsed = JSON.parse(decoder.decode(req.body));
      } catch {
        throw new BedrockError("SerializationException", "Unable to parse the request body as JSON.");
      }
      if (!isObj(parsed)) throw new BedrockError("ValidationException", messages.malformed);
    }
    const ctx = { op, modelId, model, region, accountId: caller.accountId, requestId, record };
    switch (op) {
      case "CountTokens":
        return this.#countTokens(parsed as Record<string, unknown>, ctx);
      case "Converse":
      case "ConverseStream":
        return this.#converse(parsed as Record<string, unknown>, ctx, midStreamFailure);
      default:
        return this.#invoke(req.body, ctx, midStreamFailure);
    }
  }

  #countTokens(body: Record<string, unknown>, ctx: Ctx): MockResponse {
    if (ctx.model.profilePrefix !== undefined) {
      throw new BedrockError("ValidationException", "The provided model doesn't support counting tokens.");
    }
    const input = isObj(body.input) ? body.input : undefined;
    let layout: PromptLayout;
    if (input && isObj(input.converse)) {
      layout = this.#readConverse(input.converse).layout;
    } else if (input && isObj(input.invokeModel) && typeof input.invokeModel.body === "string") {
      const bytes = Buffer.from(input.invokeModel.body, "base64");
      layout = invokeModelLayout(bytes, { counter: this.#counter, provider: ctx.model.provider }).layout;
    } else {
      throw new BedrockError(
        "ValidationException",
        "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must not be null",
      );
    }
    const inputTokens = layout.blocks.reduce((s, b) => s + b.tokens, 0);
    return json(200, { inputTokens }, ctx.requestId);
  }

  #readConverse(input: unknown): { layout: PromptLayout } {
    const r = converseLayout(input, { counter: this.#counter });
    const bad = r.problems.find((p) => p.severity === "error");
    if (bad) throw new BedrockError("ValidationException", bad.message);
    return r;
  }

  async #converse(
    body: Record<string, unknown>,
    ctx: Ctx,
    midStream: BedrockError | undefined,
  ): Promise<MockResponse> {
    const { layout } = this.#readConverse(body);
    const msgs = body.messages;
    if (!Array.isArray(msgs) || msgs.length === 0) {
      throw new BedrockError(
        "ValidationException",
        "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
      );
    }
    const first = msgs[0] as { role?: unknown };
    if (first?.role !== "user") {
      throw new BedrockError(
        "ValidationException",
        "A conversation must start with a user message. Try again with a conversation that starts with a user message.",
      );
    }
    const { usage, reply, latency, commit } = await this.#run(layout, body, ctx);
    const content = replyContent(reply);
    const stopReason = reply.stopReason ?? (reply.toolUse?.length ? "tool_use" : "end_turn");
    const u = converseUsage(usage, ctx.op === "Converse" || this.#options.streamCacheDetails !== false);
    if (ctx.op === "Converse") {
      commit();
      await this.#wait(latency.totalMs);
      return json(
        200,
        {
          output: { message: { role: "assistant", content } },
          stopReason,
          usage: u,
          metrics: { latencyMs: latency.totalMs },
        },
        ctx.requestId,
      );
    }
    const self = this;
    async function* frames(): AsyncGenerator<Uint8Array> {
      await self.#wait(latency.firstByteMs);
      commit();
      yield eventFrame("messageStart", { role: "assistant" });
      if (midStream) {
        yield exceptionFrame(streamMemberOf[midStream.type] ?? "internalServerException", {
          message: midStream.message,
          ...midStream.extra,
        });
        return;
      }
      let index = 0;
      if (reply.text !== undefined) {
        for (const piece of chunks(reply.text))
          yield eventFrame("contentBlockDelta", { contentBlockIndex: index, delta: { text: piece } });
        yield eventFrame("contentBlockStop", { contentBlockIndex: index });
        index++;
      }
      for (const [i, t] of (reply.toolUse ?? []).entries()) {
        const toolUseId = t.toolUseId ?? `tooluse_${ctx.requestId.slice(0, 8)}_${i}`;
        yield eventFrame("contentBlockStart", {
          contentBlockIndex: index,
          start: { toolUse: { toolUseId, name: t.name } },
        });
        yield eventFrame("contentBlockDelta", {
          contentBlockIndex: index,
          delta: { toolUse: { input: JSON.stringify(t.input ?? {}) } },
        });
        yield eventFrame("contentBlockStop", { contentBlockIndex: index });
        index++;
      }
      await self.#wait(latency.totalMs - latency.firstByteMs);
      yield eventFrame("messageStop", { stopReason });
      yield eventFrame("metadata", { usage: u, metrics: { latencyMs: latency.totalMs } });
    }
    return {
      status: 200,
      headers: streamHeaders(ctx.requestId, "application/vnd.amazon.eventstream"),
      body: frames(),
    };
  }

  async #invoke(raw: Uint8Array, ctx: Ctx, midStream: BedrockError | undefined): Promise<MockResponse> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(decoder.decode(raw));
    } catch {
      throw new BedrockError("ValidationException", messages.malformed);
    }
    const format = detectBodyFormat(parsed, ctx.model.provider);
    if (format === "unknown") throw new BedrockError("ValidationException", messages.malformed);
    const legacy = format === "legacy-text-completion";
    const completionModel =
      ctx.model.id.startsWith("anthropic.claude-v2") || ctx.model.id.startsWith("anthropic.claude-instant");
    if (legacy && !completionModel) {
      // Claude 3+ only speaks the Messages API; the seed payload (prompt: "Human: …") fails this way.
      throw new BedrockError(
        "ValidationException",
        `"${ctx.model.id}" is not supported on this API. Please use the Messages API instead.`,
      );
    }
    const read = invokeModelLayout(parsed, { counter: this.#counter, provider: ctx.model.provider });
    const bad = read.problems.find((p) => p.severity === "error");
    if (bad) throw new BedrockError("ValidationException", bad.message);
    const { usage, reply, latency, commit } = await this.#run(read.layout, parsed, ctx);
    const stream = ctx.op === "InvokeModelWithResponseStream";
    const metrics = {
      inputTokenCount: usage.inputTokens,
      outputTokenCount: usage.outputTokens,
      invocationLatency: latency.totalMs,
      firstByteLatency: latency.firstByteMs,
      cacheReadInputTokenCount: usage.cacheReadInputTokens,
      cacheWriteInputTokenCount: usage.cacheWriteInputTokens,
    };
    const stopReason = reply.stopReason ?? (reply.toolUse?.length ? "tool_use" : "end_turn");
    const anthropic = format === "anthropic";
    if (!stream) {
      commit();
      await this.#wait(latency.totalMs);
      const body = legacy
        ? { completion: ` ${reply.text ?? ""}`, stop_reason: "stop_sequence", stop: "\n\nHuman:" }
        : anthropic
          ? anthropicMessage(ctx, reply, usage, stopReason)
          : novaMessage(reply, usage, stopReason);
      return {
        status: 200,
        headers: {
          "content-type": "application/json",
          "x-amzn-requestid": ctx.requestId,
          "x-amzn-bedrock-input-token-count": String(usage.inputTokens),
          "x-amzn-bedrock-output-token-count": String(usage.outputTokens),
          "x-amzn-bedrock-invocation-latency": String(latency.totalMs),
          "x-amzn-bedrock-cache-read-input-token-count": String(usage.cacheReadInputTokens),
          "x-amzn-bedrock-cache-write-input-token-count": String(usage.cacheWriteInputTokens),
        },
        body: encoder.encode(JSON.stringify(body)),
      };
    }
    const self = this;
    async function* frames(): AsyncGenerator<Uint8Array> {
      await self.#wait(latency.firstByteMs);
      commit();
      const events = anthropic
        ? anthropicStream(ctx, reply, usage, stopReason)
        : novaStream(reply, usage, stopReason);
      for (const [i, ev] of events.entries()) {
        const last = i === events.length - 1;
        if (i === 1 && midStream) {
          yield exceptionFrame(streamMemberOf[midStream.type] ?? "internalServerException", {
            message: midStream.message,
            ...midStream.extra,
          });
          return;
        }
        if (last) await self.#wait(latency.totalMs - latency.firstByteMs);
        yield chunkFrame(last ? { ...ev, "amazon-bedrock-invocationMetrics": metrics } : ev);
      }
    }
    return {
      status: 200,
      headers: {
        ...streamHeaders(ctx.requestId, "application/vnd.amazon.eventstream"),
        "x-amzn-bedrock-content-type": "application/json",
      },
      body: frames(),
    };
  }

  /** Caching rules, the cache itself, the reply and the latency: the part every operation shares. */
  async #run(layout: PromptLayout, request: unknown, ctx: Ctx) {
    const err = cachingError(layout, ctx.model.rules, ctx.model.name);
    if (err) throw err;
    const sim = this.simulator.simulate({
      accountId: ctx.accountId,
      region: ctx.region,
      modelId: ctx.model.id,
      rules: ctx.model.rules,
      layout,
    });
    const callIndex = this.#callIndex++;
    const reply =
      this.#queue.shift() ??
      (await (this.#options.responder ?? deterministicResponder)({
        operation: ctx.op,
        modelId: ctx.modelId,
        accountId: ctx.accountId,
        region: ctx.region,
        request,
        callIndex,
      }));
    let outputTokens = this.#counter.count(reply.text ?? "");
    for (const t of reply.toolUse ?? [])
      outputTokens += this.#counter.count(`${t.name}${JSON.stringify(t.input ?? {})}`) + 8;
    const usage: CacheUsage = { ...sim.usage, outputTokens: Math.max(1, outputTokens) };
    const latency = latencyOf(this.#latency, usage);
    ctx.record.usage = usage;
    ctx.record.latencyMs = latency.totalMs;
    return { usage, reply, latency, commit: sim.commit };
  }

  async #wait(ms: number): Promise<void> {
    const scale = this.#options.realTimeScale ?? 0;
    if (scale > 0 && ms > 0) await new Promise((r) => setTimeout(r, ms * scale));
  }
}

interface Ctx {
  op: MockOperation;
  modelId: string;
  model: ResolvedModel;
  region: string;
  accountId: string;
  requestId: string;
  record: { usage?: CacheUsage; latencyMs?: number };
}

function defaultFaultMessage(type: BedrockErrorName): string {
  switch (type) {
    case "ThrottlingException":
      return "Too many requests, please wait before trying again.";
    case "ModelNotReadyException":
      return "Model is not ready to serve inference requests. The SDK will automatically retry the operation.";
    case "ServiceUnavailableException":
      return "Service is temporarily unavailable. Please try again later.";
    case "InternalServerException":
      return "The server encountered an error processing the request. Try your request again.";
    case "ModelStreamErrorException":
      return "The model stream ended unexpectedly.";
    default:
      return `${type} (injected by the cachepoint mock)`;
  }
}

function errorResponse(err: BedrockError, requestId: string): MockResponse {
  return {
    status: err.status,
    headers: {
      "content-type": "application/json",
      "x-amzn-requestid": requestId,
      "x-amzn-errortype": err.type,
    },
    body: encoder.encode(JSON.stringify({ message: err.message, ...err.extra })),
  };
}

function json(status: number, body: unknown, requestId: string): MockResponse {
  return {
    status,
    headers: { "content-type": "application/json", "x-amzn-requestid": requestId },
    body: encoder.encode(JSON.stringify(body)),
  };
}

function streamHeaders(requestId: string, contentType: string): Record<string, string> {
  return { "content-type": contentType, "x-amzn-requestid": requestId };
}

function* chunks(text: string): Generator<string> {
  if (text === "") {
    yield "";
    return;
  }
  for (let i = 0; i < text.length; i += 24) yield text.slice(i, i + 24);
}

function converseUsage(u: CacheUsage, withDetails: boolean) {
  const details = [
    ...(u.cacheWriteByTtl["1h"] > 0 ? [{ ttl: "1h", inputTokens: u.cacheWriteByTtl["1h"] }] : []),
    ...(u.cacheWriteByTtl["5m"] > 0 ? [{ ttl: "5m", inputTokens: u.cacheWriteByTtl["5m"] }] : []),
  ];
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    totalTokens: u.inputTokens + u.cacheReadInputTokens + u.cacheWriteInputTokens + u.outputTokens,
    cacheReadInputTokens: u.cacheReadInputTokens,
    cacheWriteInputTokens: u.cacheWriteInputTokens,
    ...(withDetails && details.length > 0 && { cacheDetails: details }),
  };
}

function replyContent(reply: MockReply, requestId = "00000000") {
  return [
    ...(reply.text !== undefined ? [{ text: reply.text }] : []),
    ...(reply.toolUse ?? []).map((t, i) => ({
      toolUse: {
        toolUseId: t.toolUseId ?? `tooluse_${requestId.slice(0, 8)}_${i}`,
        name: t.name,
        input: t.input ?? {},
      },
    })),
  ];
}

function anthropicUsage(u: CacheUsage) {
  return {
    input_tokens: u.inputTokens,
    cache_creation_input_tokens: u.cacheWriteInputTokens,
    cache_read_input_tokens: u.cacheReadInputTokens,
    output_tokens: u.outputTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: u.cacheWriteByTtl["5m"],
      ephemeral_1h_input_tokens: u.cacheWriteByTtl["1h"],
    },
  };
}

function anthropicContent(ctx: Ctx, reply: MockReply) {
  return [
    ...(reply.text !== undefined ? [{ type: "text", text: reply.text }] : []),
    ...(reply.toolUse ?? []).map((t, i) => ({
      type: "tool_use",
      id: t.toolUseId ?? `toolu_bdrk_${ctx.requestId.slice(0, 8)}${i}`,
      name: t.name,
      input: t.input ?? {},
    })),
  ];
}

function anthropicMessage(ctx: Ctx, reply: MockReply, u: CacheUsage, stopReason: string) {
  return {
    id: `msg_bdrk_${ctx.requestId.replaceAll("-", "").slice(0, 24)}`,
    type: "message",
    role: "assistant",
    model: ctx.model.id.replace(/^anthropic\./, "").replace(/-v\d+(:\d+)?$/, ""),
    content: anthropicContent(ctx, reply),
    stop_reason: stopReason,
    stop_sequence: null,
    usage: anthropicUsage(u),
  };
}

function anthropicStream(
  ctx: Ctx,
  reply: MockReply,
  u: CacheUsage,
  stopReason: string,
): Record<string, unknown>[] {
  const msg = anthropicMessage(ctx, reply, u, stopReason);
  const events: Record<string, unknown>[] = [
    {
      type: "message_start",
      message: { ...msg, content: [], stop_reason: null, usage: { ...anthropicUsage(u), output_tokens: 1 } },
    },
  ];
  for (const [index, block] of msg.content.entries()) {
    if (block.type === "text") {
      events.push({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
      for (const piece of chunks(reply.text ?? ""))
        events.push({ type: "content_block_delta", index, delta: { type: "text_delta", text: piece } });
    } else {
      events.push({ type: "content_block_start", index, content_block: { ...block, input: {} } });
      events.push({
        type: "content_block_delta",
        index,
        delta: {
          type: "input_json_delta",
          partial_json: JSON.stringify((block as { input?: unknown }).input ?? {}),
        },
      });
    }
    events.push({ type: "content_block_stop", index });
  }
  events.push({
    type: "message_delta",
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: u.outputTokens },
  });
  events.push({ type: "message_stop" });
  return events;
}

function novaUsage(u: CacheUsage) {
  // AWS documents neither spelling for Nova's native body; both are sent (readers accept either).
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    totalTokens: u.inputTokens + u.cacheReadInputTokens + u.cacheWriteInputTokens + u.outputTokens,
    cacheReadInputTokenCount: u.cacheReadInputTokens,
    cacheWriteInputTokenCount: u.cacheWriteInputTokens,
    cacheReadInputTokens: u.cacheReadInputTokens,
    cacheWriteInputTokens: u.cacheWriteInputTokens,
  };
}

function novaMessage(reply: MockReply, u: CacheUsage, stopReason: string) {
  return {
    output: { message: { role: "assistant", content: replyContent(reply) } },
    stopReason,
    usage: novaUsage(u),
  };
}

function novaStream(reply: MockReply, u: CacheUsage, stopReason: string): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [{ messageStart: { role: "assistant" } }];
  for (const piece of chunks(reply.text ?? ""))
    events.push({ contentBlockDelta: { delta: { text: piece }, contentBlockIndex: 0 } });
  events.push({ contentBlockStop: { contentBlockIndex: 0 } });
  events.push({ messageStop: { stopReason } });
  events.push({ metadata: { usage: novaUsage(u), metrics: {}, trace: {} } });
  return events;
}
