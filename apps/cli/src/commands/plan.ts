import type { ResolvedModel, Strategy, Ttl } from "@cachepoint/core";
import pc from "picocolors";
import { cliModels, resolveCliModel } from "../lib/cliModels.js";
import { int, type Out, printJson, severityLabel, table, usd } from "../lib/output.js";
import { readJson } from "../lib/readJson.js";
import { classify, prepare } from "../lib/readRequest.js";
import { CheckFailed, UsageError } from "../lib/UsageError.js";

export async function plan(
  o: {
    file: string | undefined;
    model?: string;
    strategy: Strategy;
    ttl?: Ttl;
    apply: boolean;
    aliases?: Record<string, string>;
  },
  out: Out,
): Promise<void> {
  const doc = readJson(o.file, "plan");
  const { kind, payload, modelId } = classify(doc, "plan");
  const id = o.model ?? modelId;
  if (!id) throw new UsageError("--model is required: the request has no modelId");
  const registry = cliModels(o.aliases);
  let model: ResolvedModel | string = id;
  let unknownModel: string | undefined;
  if (o.model) model = resolveCliModel("--model", id, registry);
  else {
    // A modelId inside the file: an unknown one is the planner's unknown-model diagnostic, as the plugin reports
    // it, worded with the flag that fixes it here.
    try {
      model = resolveCliModel("the request's modelId", id, registry);
    } catch (e) {
      unknownModel = (e as Error).message;
    }
  }
  const p = prepare(kind, payload, model, { strategy: o.strategy, ...(o.ttl && { ttl: o.ttl }) });
  const diagnostics = p.diagnostics.map((d) =>
    d.code === "unknown-model" && unknownModel ? { ...d, message: unknownModel } : d,
  );
  const failed = diagnostics.some((d) => d.severity === "error");
  if (out.json) {
    printJson({
      model: id,
      api: kind,
      totalTokens: p.plan.totalTokens,
      checkpoints: p.plan.checkpoints.map((c) => ({
        section: c.section,
        path: c.path,
        prefixTokens: c.prefixTokens,
        ttl: c.ttl,
        reason: c.reason,
      })),
      diagnostics: diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message })),
      changes: p.plan.changes,
      estimate: p.plan.estimate ?? null,
      request: p.request,
    });
  } else {
    const name = typeof model === "string" ? id : `${model.name} (${id})`;
    out.log(
      `${kind === "converse" ? "Converse request" : "InvokeModel body"} for ${name}: ${int(p.plan.totalTokens)} tokens (estimated), strategy ${o.strategy}`,
    );
    if (p.layout.blocks.length > 0) {
      const at = new Map(p.plan.checkpoints.map((c) => [c.afterBlock, c]));
      let cum = 0;
      out.log(
        table(
          ["#", "section", "kind", "path", "tokens", "prefix", "checkpoint"],
          p.layout.blocks.map((b, i) => {
            cum += b.tokens;
            const c = at.get(i);
            return [i, b.section, b.kind, b.path, int(b.tokens), int(cum), c ? `◆ ${c.ttl} (${c.role})` : ""];
          }),
          ["right", "left", "left", "left", "right", "right", "left"],
        ),
      );
    }
    out.log();
    if (p.plan.checkpoints.length === 0) out.log("No checkpoints.");
    for (const c of p.plan.checkpoints)
      out.log(`${pc.bold("checkpoint")} after ${c.path} [${c.ttl}]: ${c.reason}`);
    for (const ch of p.plan.changes)
      if (ch.action !== "kept") out.log(`${pc.bold(ch.action)} ${ch.path}: ${ch.reason}`);
    for (const d of diagnostics) out.log(`${severityLabel(d.severity)} ${d.code}: ${d.message}`);
    const e = p.plan.estimate;
    if (e && p.plan.checkpoints.length === 0)
      out.log(`cost of the input: ${usd(e.uncachedUsd)} (nothing is cached)`);
    else if (e) {
      out.log(
        `cost of the input: ${usd(e.coldUsd)} with a cold cache, ${usd(e.warmUsd)} warm, ${usd(e.uncachedUsd)} uncached; the write premium pays back after ${e.breakEvenReads.toFixed(2)} reads`,
      );
    }
    if (o.apply) {
      out.log();
      out.log(JSON.stringify(p.request, null, 2));
    }
  }
  if (failed)
    throw new CheckFailed(
      "the request as planned would be rejected by Bedrock or cannot cache (see the errors above)",
    );
}
