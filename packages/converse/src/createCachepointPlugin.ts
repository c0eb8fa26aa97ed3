import {
  type CachePlan,
  type CacheUsage,
  type CostBreakdown,
  costOf,
  type Diagnostic,
  type PlanOptions,
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
  hints?: TrafficHints;
  /** Throw a `CachepointError` (before sending) when a diagnostic of severity error remains. */
  strict?: boolean;
  /** Called once per call, when its usage is known. */
  onReport?: (report: CachepointReport) => void;
  /** Registry options (aliases for application-inference-profile ARNs, overrides) and the Region. */
  resolve?: PlanOptions["resolve"];
  /** Extra planner options. */
  plan?: Omit<PlanOptions, "strategy" | "ttl" | "hints" | "strict" | "resolve">;
}

/** One command family the plugin knows how to plan and observe. @public */
export interface CommandAdapter {
  readonly commands: readonly string[];
  /** Plans the input and returns the input to send (a copy, or the input itself when nothing changes). */
  prepare(
    input: Record<string, unknown>,
    model: ResolvedModel | string,
    options: PlanOptions,
  ): { input: Record<string, unknown>; plan: CachePlan; diagnostics: readonly Diagnostic[] };
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
  const byCommand = new Map<string, CommandAdapter>();
  for (const a of adapters) for (const c of a.commands) byCommand.set(c, a);
  const planOptions: PlanOptions = {
    ...options.plan,
    ...(options.strategy && { strategy: options.strategy }),
    ...(options.ttl && { ttl: options.ttl }),
    ...(options.hints && { hints: options.hints }),
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
          const prepared = adapter.prepare(input, model, planOptions);
          const report: CachepointReport = {
            command,
            modelId: input.modelId,
            plan: prepared.plan,
            diagnostics: prepared.diagnostics,
          };
          const result = await next({ ...args, input: prepared.input as Input });
          const output = result.output as Record<string, unknown> & { $metadata?: Record<string, unknown> };
          if (output && typeof output === "object") {
            if (output.$metadata) output.$metadata.cachepoint = report;
            adapter.observe(output, (usage, latencyMs) => {
              report.usage = usage;
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
