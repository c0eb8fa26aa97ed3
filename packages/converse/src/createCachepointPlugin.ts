import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { CountTokensCommand } from "@aws-sdk/client-bedrock-runtime";
import {
  type CacheAdvisor,
  type CachePlan,
  type CacheUsage,
  type CostBreakdown,
  contentFingerprint,
  costOf,
  createCacheAdvisor,
  type Diagnostic,
  type PlanOptions,
  type PromptLayout,
  type ResolvedModel,
  resolveModel,
  type Strategy,
  type TrafficHints,
  type Ttl,
} from "@cachepoint/core";
import type {
  InitializeHandlerArguments,
  InitializeHandlerOutput,
  InitializeMiddleware,
  Pluggable,
} from "@smithy/types";
import { contentKeyJson } from "./json.js";
import { validatePluginOptions } from "./validatePluginOptions.js";

/** What the plugin learned about one call. Filled in when the usage is known (at the end of a stream). @public */
export interface CachepointReport {
  readonly command: string;
  readonly modelId: string | undefined;
  readonly plan: CachePlan | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** Set when the response (or the stream's last event) reported usage. */
  usage?: CacheUsage;
  /** What the call cost and saved against the same request uncached; undefined without a price. */
  cost?: CostBreakdown;
  latencyMs?: number;
}

/** Options for the `cachepoint()` plugin. @public */
export interface CachepointPluginOptions {
  strategy?: Strategy;
  ttl?: Ttl;
  /**
   * What `auto` may assume about the traffic. A function picks them per call, for a client that serves several
   * applications (a gateway): `(input, command) => hintsFor(input.system)`; `undefined` plans without hints.
   */
  hints?:
    | TrafficHints
    | ((input: Readonly<Record<string, unknown>>, command: string) => TrafficHints | undefined);
  /** Throw a `CachepointError` (before sending) when a diagnostic of severity error remains. */
  strict?: boolean;
  /** Called once per call, when its usage is known. */
  onReport?: (report: CachepointReport) => void;
  /** Registry options (aliases for application-inference-profile ARNs, overrides) and the Region. */
  resolve?: PlanOptions["resolve"];
  /** Extra planner options. */
  plan?: Omit<PlanOptions, "strategy" | "ttl" | "hints" | "strict" | "resolve" | "advisor">;
  /** Learn from observed usage (`true` for the default advisor, or your own): `auto` stops caching prefixes that are never read. */
  advisor?: boolean | CacheAdvisor;
  /**
   * Exact counts: a client (without this plugin is fine, with it too) used to call Bedrock's CountTokens before
   * planning. Results are cached per request content; when CountTokens refuses, estimates are used.
   */
  countTokens?: Pick<BedrockRuntimeClient, "send">;
  /**
   * The time now, in ms since the epoch, for the advisor (when requests are planned and observed). Default
   * `Date.now`. In simulations pass the mock's clock: `now: () => mock.clock.now()`.
   */
  now?: () => number;
}

/** One command family the plugin knows how to plan and observe. @public */
export interface CommandAdapter {
  readonly commands: readonly string[];
  /** Plans the input and returns the input to send (a copy, or the input itself when nothing changes). */
  prepare(
    input: Record<string, unknown>,
    model: ResolvedModel | string,
    options: PlanOptions & { exactTotalTokens?: number },
  ): {
    input: Record<string, unknown>;
    plan: CachePlan;
    layout: PromptLayout;
    diagnostics: readonly Diagnostic[];
  };
  /** The CountTokens `input` union member for this request, if the command family supports counting. */
  countTokensInput?(input: Record<string, unknown>): Record<string, unknown> | undefined;
  /** Reads usage from the output; for streams, wraps the stream so usage is read as the caller consumes it. */
  observe(
    output: Record<string, unknown>,
    done: (usage: CacheUsage, latencyMs: number | undefined) => void,
  ): void;
}

/**
 * Builds the middleware plugin from command adapters. Used by `cachepoint()` in `@cachepoint/converse`
 * (Converse, ConverseStream) and `@cachepoint/invoke-model` (all four commands).
 * @public
 */
export function createCachepointPlugin<Input extends object, Output extends object>(
  adapters: readonly CommandAdapter[],
  options: CachepointPluginOptions = {},
): Pluggable<Input, Output> {
  const hintsFor = typeof options.hints === "function" ? options.hints : undefined;
  const fixedHints = typeof options.hints === "function" ? undefined : options.hints;
  validatePluginOptions(options); // a misspelt strategy, hint or alias fails here, not on the first call
  const byCommand = new Map<string, CommandAdapter>();
  for (const a of adapters) for (const c of a.commands) byCommand.set(c, a);
  const advisor = options.advisor === true ? createCacheAdvisor() : options.advisor || undefined;
  const counts = new Map<string, number>(); // request content → exact input tokens
  const planOptions: PlanOptions = {
    ...(advisor && { advisor }),
    ...options.plan,
    ...(options.strategy && { strategy: options.strategy }),
    ...(options.ttl && { ttl: options.ttl }),
    ...(fixedHints && { hints: fixedHints }),
    ...(options.strict && { strict: options.strict }),
    ...(options.resolve && { resolve: options.resolve }),
  };
  return {
    applyToStack(stack) {
      const middleware: InitializeMiddleware<Input, Output> =
        (next, context) =>
        async (args: InitializeHandlerArguments<Input>): Promise<InitializeHandlerOutput<Output>> => {
          const command = (context as { commandName?: string }).commandName ?? "";
          const adapter = byCommand.get(command);
          const input = args.input as Record<string, unknown>;
          if (!adapter || typeof input?.modelId !== "string") return next(args);
          let model: ResolvedModel | string = input.modelId;
          try {
            model = resolveModel(input.modelId, options.resolve);
          } catch {
            // unknown or opaque model: the planner reports it and the request goes out untouched
          }
          let exactTotalTokens: number | undefined;
          let extra: Diagnostic[] | undefined;
          if (options.countTokens && adapter.countTokensInput && typeof model !== "string") {
            const ctInput = adapter.countTokensInput(input);
            if (ctInput) {
              const key = `${model.id}|${contentFingerprint(contentKeyJson(ctInput))}`;
              exactTotalTokens = counts.get(key);
              if (exactTotalTokens === undefined) {
                try {
                  const out = await options.countTokens.send(
                    new CountTokensCommand({ modelId: model.id, input: ctInput as never }),
                  );
                  exactTotalTokens = out.inputTokens;
                  if (exactTotalTokens !== undefined) {
                    counts.set(key, exactTotalTokens);
                    if (counts.size > 1000) counts.delete(counts.keys().next().value as string);
                  }
                } catch (e) {
                  extra = [
                    {
                      code: "estimated-counts",
                      severity: "info",
                      message: `CountTokens was not available for ${model.id} (${(e as Error).name}: ${(e as Error).message}); planned with estimated counts.`,
                    },
                  ];
                }
              }
            }
          }
          const now = options.now?.();
          // Per-call hints go to the planner, which checks them like any other (a bad one is an invalid-option error).
          const hints = hintsFor?.(input, command);
          const prepared = adapter.prepare(
            input,
            model,
            exactTotalTokens === undefined && now === undefined && hints === undefined
              ? planOptions
              : {
                  ...planOptions,
                  ...(exactTotalTokens !== undefined && { exactTotalTokens }),
                  ...(now !== undefined && { now }),
                  ...(hints !== undefined && { hints }),
                },
          );
          const report: CachepointReport = {
            command,
            modelId: input.modelId,
            plan: prepared.plan,
            diagnostics: extra ? [...extra, ...prepared.diagnostics] : prepared.diagnostics,
          };
          const result = await next(
            prepared.input === input ? args : { ...args, input: prepared.input as Input },
          );
          const output = result.output as Record<string, unknown> & { $metadata?: Record<string, unknown> };
          if (output && typeof output === "object") {
            if (output.$metadata) output.$metadata.cachepoint = report;
            adapter.observe(output, (usage, latencyMs) => {
              report.usage = usage;
              advisor?.observe({
                plan: prepared.plan,
                layout: prepared.layout,
                usage,
                ...(options.now && { at: options.now() }),
              });
              if (latencyMs !== undefined) report.latencyMs = latencyMs;
              if (typeof model !== "string" && model.price) report.cost = costOf(usage, model);
              options.onReport?.(report);
            });
          }
          return result;
        };
      stack.add(middleware, {
        step: "initialize",
        name: "cachepointMiddleware",
        tags: ["CACHEPOINT"],
        override: true,
      });
    },
  };
}

/** The report the plugin attached to a command's output, if any. @public */
export function getCachepointReport(output: { $metadata?: object }): CachepointReport | undefined {
  return (output.$metadata as { cachepoint?: CachepointReport } | undefined)?.cachepoint;
}
