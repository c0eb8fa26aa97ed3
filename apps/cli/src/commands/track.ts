import { writeFileSync } from "node:fs";
import { BedrockRuntimeClient, ConverseCommand, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
import type { CachepointReport } from "@cachepoint/converse";
import { type CacheUsage, costOf, type Ttl, ttlMs } from "@cachepoint/core";
import { cachepoint } from "@cachepoint/invoke-model";
import { createMockClient, MockBedrock } from "@cachepoint/mock-transport";
import cliProgress from "cli-progress";
import { cliModels, resolveCliModel } from "../lib/cliModels.js";
import { renderReport } from "../lib/htmlReport.js";
import { liveHint } from "../lib/liveHint.js";
import { int, type Out, pct, printJson, table, usd } from "../lib/output.js";
import { systemPromptOf } from "../lib/systemPrompt.js";
import { CheckFailed, UsageError } from "../lib/UsageError.js";

export interface TrackOptions {
  requests: number;
  systemTokens: number;
  systemText?: string;
  model: string;
  api: "converse" | "invoke-model";
  ttl?: Ttl;
  intervalMs: number;
  live: boolean;
  region?: string;
  /** `--alias`: model IDs or ARNs that stand for a known model (an application inference profile, say). */
  aliases?: Record<string, string>;
  report?: string;
  /** With --live: send to this endpoint instead of Bedrock's (e.g. `cachepoint mock serve`). */
  endpointUrl?: string;
}

export interface TrackRow {
  index: number;
  latencyMs: number;
  inputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface TrackResult {
  model: string;
  api: "converse" | "invoke-model";
  source: "mock" | "live";
  latency: "modelled" | "measured";
  requests: TrackRow[];
  summary: { cacheSpeedRoiPct: number | null; costUsd: number; uncachedCostUsd: number; savedPct: number };
  notes: string[];
}

const QUESTION =
  "A customer asks: can I return a gift I received without a receipt? Answer in two sentences.";

/** N identical requests with a cached system prompt: latency, tokens and cost per request, then the ROI. */
export async function track(o: TrackOptions, out: Out): Promise<TrackResult> {
  const registry = cliModels(o.aliases);
  const model = resolveCliModel("--model", o.model, registry, o.region);
  if (!model.rules.supportsExplicitCaching) throw new UsageError(`--model: ${model.rules.unsupportedReason}`);
  if (o.ttl && !model.rules.ttls.includes(o.ttl)) {
    throw new UsageError(
      `--ttl: ${model.name} offers ${model.rules.ttls.join(", ")} on Bedrock, not ${o.ttl}`,
    );
  }
  const system = o.systemText ?? systemPromptOf(o.systemTokens);
  const region = o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
  const mock = o.live ? undefined : new MockBedrock({ models: registry });
  const client = mock
    ? createMockClient(mock, { region })
    : new BedrockRuntimeClient({ region, ...(o.endpointUrl && { endpoint: o.endpointUrl }) });
  const reports: CachepointReport[] = [];
  client.middlewareStack.use(
    cachepoint({
      strategy: "static-prefix",
      ...(o.ttl && { ttl: o.ttl }),
      resolve: { registry },
      onReport: (r) => reports.push(r),
    }),
  );

  const nova = model.provider === "amazon";
  const send = async () => {
    if (o.api === "converse") {
      return client.send(
        new ConverseCommand({
          modelId: o.model,
          system: [{ text: system }],
          messages: [{ role: "user", content: [{ text: QUESTION }] }],
          inferenceConfig: { maxTokens: 200 },
        }),
      );
    }
    const body = nova
      ? {
          schemaVersion: "messages-v1",
          system: [{ text: system }],
          messages: [{ role: "user", content: [{ text: QUESTION }] }],
          inferenceConfig: { maxTokens: 200 },
        }
      : {
          anthropic_version: "bedrock-2023-05-31",
          max_tokens: 200,
          system,
          messages: [{ role: "user", content: QUESTION }],
        };
    return client.send(
      new InvokeModelCommand({
        modelId: o.model,
        contentType: "application/json",
        body: JSON.stringify(body),
      }),
    );
  };

  const bar =
    o.live && process.stderr.isTTY && !out.json
      ? new cliProgress.SingleBar(
          { format: "tracking {bar} {value}/{total} requests", hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  bar?.start(o.requests, 0);
  const rows: TrackRow[] = [];
  try {
    for (let i = 0; i < o.requests; i++) {
      if (i > 0 && o.intervalMs > 0) {
        if (mock) mock.advance(o.intervalMs);
        else await new Promise((r) => setTimeout(r, o.intervalMs));
      }
      const started = performance.now();
      try {
        await send();
      } catch (e) {
        throw new CheckFailed(
          `request ${i + 1} failed: ${(e as Error).name}: ${(e as Error).message}${liveHint(e)}`,
        );
      }
      const wall = performance.now() - started;
      const report = reports.at(-1);
      const usage: CacheUsage | undefined = report?.usage;
      if (!usage) throw new CheckFailed(`request ${i + 1}: the response carried no usage`);
      const latencyMs = mock ? (mock.calls().at(-1)?.latencyMs ?? 0) : Math.round(wall);
      rows.push({
        index: i + 1,
        latencyMs,
        inputTokens: usage.inputTokens,
        cacheReadInputTokens: usage.cacheReadInputTokens,
        cacheWriteInputTokens: usage.cacheWriteInputTokens,
        outputTokens: usage.outputTokens,
        costUsd: model.price ? costOf(usage, model).totalUsd : 0,
      });
      bar?.increment();
    }
  } finally {
    bar?.stop();
    if (!mock) client.destroy();
  }

  const first = rows[0]!;
  const cached = rows.slice(1).filter((r) => r.cacheReadInputTokens > 0);
  const meanCached = cached.length ? cached.reduce((s, r) => s + r.latencyMs, 0) / cached.length : undefined;
  const totalCost = rows.reduce((s, r) => s + r.costUsd, 0);
  const uncached = model.price
    ? rows.reduce(
        (s, r) =>
          s +
          costOf(
            {
              inputTokens: r.inputTokens + r.cacheReadInputTokens + r.cacheWriteInputTokens,
              cacheReadInputTokens: 0,
              cacheWriteInputTokens: 0,
              cacheWriteByTtl: { "5m": 0, "1h": 0, "30m": 0 },
              outputTokens: r.outputTokens,
            },
            model,
          ).totalUsd,
        0,
      )
    : 0;
  const notes: string[] = [];
  const plan = reports[0]?.plan;
  for (const d of plan?.diagnostics ?? []) if (d.severity !== "info") notes.push(`${d.code}: ${d.message}`);
  if (!model.price) notes.push(`No price for ${model.requestedId} in the model table: costs show as $0.`);
  if (rows.length === 1 && rows[0]!.cacheWriteInputTokens > 0 && rows[0]!.cacheReadInputTokens === 0) {
    notes.push(
      "One request only writes the cache and pays the write premium; the reads that pay it back come from the next ones (--requests 2 or more).",
    );
  }
  if (cached.length === 0 && rows.length > 1) {
    notes.push("No request read from the cache, so there is no cache speed ROI to report.");
    const ttl = o.ttl ?? "5m";
    if (o.intervalMs >= ttlMs(ttl)) {
      const longer = ttl === "5m" && model.rules.ttls.includes("1h") && o.intervalMs < ttlMs("1h");
      notes.push(
        `Each entry expired before the next request (${fmtDuration(o.intervalMs)} apart, TTL ${ttl})${longer ? "; --ttl 1h would keep it alive" : ""}.`,
      );
    }
  }
  const result: TrackResult = {
    model: o.model,
    api: o.api,
    source: mock ? "mock" : "live",
    latency: mock ? "modelled" : "measured",
    requests: rows,
    summary: {
      cacheSpeedRoiPct:
        meanCached === undefined || first.latencyMs === 0
          ? null
          : ((first.latencyMs - meanCached) / first.latencyMs) * 100,
      costUsd: totalCost,
      uncachedCostUsd: uncached,
      savedPct: uncached > 0 ? ((uncached - totalCost) / uncached) * 100 : 0,
    },
    notes,
  };
  if (o.report) writeFileSync(o.report, trackReport(result, model.name));
  if (out.json) {
    printJson({
      model: result.model,
      api: result.api,
      source: result.source,
      latency: result.latency,
      requests: result.requests,
      summary: result.summary,
      notes: result.notes,
    });
    return result;
  }
  out.log(
    `cachepoint track: ${o.requests} identical ${o.api === "converse" ? "Converse" : "InvokeModel"} requests to ${model.name} (${o.model}), a ${int(plan?.totalTokens ?? 0)}-token prompt${o.intervalMs ? `, ${fmtDuration(o.intervalMs)} apart` : ""}`,
  );
  out.log(
    mock
      ? "on the embedded mock: latency is the mock's modelled latency, not a measurement (use --live for real Bedrock)"
      : `on ${o.endpointUrl ? `the endpoint ${o.endpointUrl}` : "live Bedrock"} in ${region}: latency is measured wall-clock time per call`,
  );
  out.log();
  out.log(
    table(
      [
        mock ? "#  " : "#",
        mock ? "latency ms (modelled)" : "latency ms",
        "uncached in",
        "cache read",
        "cache write",
        "output",
        "cost",
      ],
      rows.map((r) => [
        r.index,
        int(r.latencyMs),
        int(r.inputTokens),
        int(r.cacheReadInputTokens),
        int(r.cacheWriteInputTokens),
        int(r.outputTokens),
        usd(r.costUsd),
      ]),
      ["right", "right", "right", "right", "right", "right", "right"],
    ),
  );
  out.log();
  const roi = result.summary.cacheSpeedRoiPct;
  out.log(
    `cache speed ROI: ${roi === null ? "n/a" : `${pct(roi)} faster`} (request 1: ${int(first.latencyMs)} ms; cached requests: ${meanCached === undefined ? "none" : `${int(meanCached)} ms on average`})`,
  );
  out.log(
    `cost: ${usd(totalCost)} against ${usd(uncached)} uncached — ${result.summary.savedPct >= 0 ? "saved" : "lost"} ${pct(Math.abs(result.summary.savedPct))}`,
  );
  for (const n of notes) out.log(`note: ${n}`);
  if (o.report) out.log(`report: ${o.report}`);
  return result;
}

function trackReport(r: TrackResult, modelName: string): string {
  const labels = r.requests.map((x) => `#${x.index}`);
  return renderReport({
    title: `cachepoint track — ${modelName}`,
    subtitle: `${r.requests.length} identical ${r.api} requests on ${r.source === "mock" ? "the embedded mock (modelled latency)" : "live Bedrock (measured latency)"}`,
    figures: [
      ["cache speed ROI", r.summary.cacheSpeedRoiPct === null ? "n/a" : pct(r.summary.cacheSpeedRoiPct)],
      ["cost", usd(r.summary.costUsd)],
      ["uncached cost", usd(r.summary.uncachedCostUsd)],
      ["saved", pct(r.summary.savedPct)],
    ],
    charts: [
      {
        title: "Latency per request",
        unit: r.latency === "modelled" ? "ms, modelled" : "ms",
        labels,
        series: [{ name: "latency", color: "#2563eb", values: r.requests.map((x) => x.latencyMs) }],
      },
      {
        title: "Input tokens per request",
        unit: "tokens",
        labels,
        series: [
          { name: "cache read", color: "#16a34a", values: r.requests.map((x) => x.cacheReadInputTokens) },
          { name: "cache write", color: "#f59e0b", values: r.requests.map((x) => x.cacheWriteInputTokens) },
          { name: "uncached", color: "#9ca3af", values: r.requests.map((x) => x.inputTokens) },
        ],
      },
      {
        title: "Cost per request",
        unit: "USD",
        labels,
        series: [{ name: "cost", color: "#7c3aed", values: r.requests.map((x) => x.costUsd) }],
      },
    ],
    table: {
      head: ["#", "latency ms", "uncached", "cache read", "cache write", "output", "cost"],
      rows: r.requests.map((x) => [
        x.index,
        x.latencyMs,
        x.inputTokens,
        x.cacheReadInputTokens,
        x.cacheWriteInputTokens,
        x.outputTokens,
        usd(x.costUsd),
      ]),
    },
  });
}

function fmtDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
