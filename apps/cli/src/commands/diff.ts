import { explainMiss, type PromptLayout } from "@cachepoint/core";
import { cliModels, resolveCliModel } from "../lib/cliModels.js";
import { int, type Out, printJson } from "../lib/output.js";
import { readJson } from "../lib/readJson.js";
import { classify, prepare } from "../lib/readRequest.js";
import { blockText, firstTextDifference } from "../lib/textDifference.js";
import { UsageError } from "../lib/UsageError.js";

export async function diff(
  o: {
    a: string;
    b: string;
    model?: string;
    elapsedMs: number | undefined;
    aliases?: Record<string, string>;
  },
  out: Out,
): Promise<void> {
  const A = classify(readJson(o.a, `diff ${o.a}`), `diff ${o.a}`);
  const B = classify(readJson(o.b, `diff ${o.b}`), `diff ${o.b}`);
  const id = o.model ?? B.modelId ?? A.modelId;
  if (!id) throw new UsageError("--model is required: neither request has a modelId");
  const model = resolveCliModel(o.model ? "--model" : `the requests' modelId`, id, cliModels(o.aliases));
  // Requests as sent: their own checkpoints, or (when they carry none) the ones cachepoint's plugin would add.
  const asSent = (r: typeof A): { layout: PromptLayout; planned: boolean } => {
    const p = prepare(r.kind, r.payload, model, { strategy: "manual" });
    if (p.layout.checkpoints.length > 0) return { layout: p.layout, planned: false };
    const auto = prepare(r.kind, r.payload, model, { strategy: "auto" });
    const checkpoints = auto.plan.checkpoints.map((c) => ({
      afterBlock: c.afterBlock,
      ttl: c.ttl,
      path: c.path,
      section: c.section,
    }));
    return { layout: { ...auto.layout, checkpoints }, planned: true };
  };
  const a = asSent(A);
  const b = asSent(B);
  const why = explainMiss(a.layout, b.layout, {
    model,
    previous: { ...(A.modelId && { modelId: A.modelId }), ...(o.elapsedMs !== undefined && { sentAt: 0 }) },
    next: {
      ...(B.modelId && { modelId: B.modelId }),
      ...(o.elapsedMs !== undefined && { sentAt: o.elapsedMs }),
    },
  });
  // Where the first differing block's text changes, so the value that moved (a time, a name) is on screen.
  const path = why.firstDifference?.path;
  const aText = path === undefined ? undefined : blockText(A.payload, path);
  const bText = path === undefined ? undefined : blockText(B.payload, path);
  const textDifference =
    aText !== undefined && bText !== undefined ? firstTextDifference(aText, bText) : undefined;
  const note =
    a.planned || b.planned
      ? "A request without checkpoints was compared with the checkpoints cachepoint's auto plan would place."
      : undefined;
  if (out.json) {
    printJson({ ...why, ...(textDifference && { textDifference }), ...(note && { note }) });
    return;
  }
  out.log(`${why.hit ? "hit" : "miss"} (${why.reason}): ${why.message}`);
  if (why.firstDifference)
    out.log(
      `first difference: block ${why.firstDifference.index} (${why.firstDifference.path}, ${why.firstDifference.section})${textDifference ? `, from character ${int(textDifference.at)}:` : ""}`,
    );
  if (textDifference) {
    out.log(`  first:  ${JSON.stringify(textDifference.previous)}`);
    out.log(`  second: ${JSON.stringify(textDifference.next)}`);
  }
  out.log(
    `readable from the first request's entries: ${int(why.readableTokens)} of ${int(why.cacheableTokens)} cacheable tokens`,
  );
  if (note) out.log(`note: ${note}`);
}
