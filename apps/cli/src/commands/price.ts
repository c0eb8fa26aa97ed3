import {
  breakEvenReads,
  effectivePrices,
  expectedSavings,
  recommendTtl,
  savingsPerWindow,
  type Ttl,
} from "@cachepoint/core";
import { cliModels, resolveCliModel } from "../lib/cliModels.js";
import { int, type Out, pct, printJson, table, usd } from "../lib/output.js";
import { parseIntFlag, parseNumberFlag } from "../lib/parse.js";
import { UsageError } from "../lib/UsageError.js";

export async function price(
  o: {
    model: string;
    prefixTokens: string;
    requestsPerMinute: string;
    region?: string;
    aliases?: Record<string, string>;
  },
  out: Out,
): Promise<void> {
  const model = resolveCliModel("--model", o.model, cliModels(o.aliases), o.region);
  const prefixTokens = parseIntFlag("--prefix-tokens", o.prefixTokens, 1, 10_000_000);
  const rpm = parseNumberFlag("--requests-per-minute", o.requestsPerMinute);
  if (!model.rules.supportsExplicitCaching) throw new UsageError(`--model: ${model.rules.unsupportedReason}`);
  if (!model.price)
    throw new UsageError(
      `--model: no price for ${model.requestedId} (route ${model.route ?? "unknown"}) in the model table; try another ID form (global., us., bare)`,
    );
  const p = effectivePrices(model);
  const ttls = model.rules.ttls.filter((t): t is Ttl => t === "5m" || t === "1h");
  const windows = ttls.map((ttl) => ({
    ttl,
    breakEvenReads: breakEvenReads(model, ttl),
    windows: [1, 2, 5, 10].map((n) => savingsPerWindow(model, ttl, prefixTokens, n)),
  }));
  const rates = ttls.map((ttl) => expectedSavings(model, { ttl, prefixTokens, requestsPerMinute: rpm }));
  const rec = recommendTtl(model, { prefixTokens, requestsPerMinute: rpm });
  const belowMin = prefixTokens < model.rules.minTokensPerCheckpoint;
  if (out.json) {
    printJson({
      model: o.model,
      route: model.route,
      pricesPer1M: {
        input: p.input,
        output: p.output,
        cacheRead: p.cacheRead,
        cacheWrite5m: p.cacheWrite["5m"],
        cacheWrite1h: ttls.includes("1h") ? p.cacheWrite["1h"] : null,
      },
      minTokensPerCheckpoint: model.rules.minTokensPerCheckpoint,
      prefixTokens,
      belowMinimum: belowMin,
      breakEven: windows.map((w) => ({
        ttl: w.ttl,
        reads: w.breakEvenReads,
        savedPctByRequestsPerWindow: Object.fromEntries(w.windows.map((x) => [x.requests, x.savedPct])),
      })),
      atRate: { requestsPerMinute: rpm, options: rates },
      recommendation: { ttl: rec.ttl, reason: rec.reason },
      quota:
        "Cache reads do not count toward Bedrock token quotas (input tokens per minute): a warm cache also buys capacity.",
    });
    return;
  }
  out.log(
    `${model.name} via ${model.requestedId} (${model.route} price), USD per 1M tokens: input ${p.input}, output ${p.output}, cache read ${p.cacheRead}, 5m write ${p.cacheWrite["5m"]}${ttls.includes("1h") ? `, 1h write ${p.cacheWrite["1h"]}` : ""}`,
  );
  if (belowMin)
    out.log(
      `warning: ${int(prefixTokens)} tokens is below ${model.name}'s ${int(model.rules.minTokensPerCheckpoint)}-token minimum: Bedrock would not cache this prefix at all.`,
    );
  out.log();
  out.log(
    table(
      ["TTL", "break-even reads", "1 request / window", "2", "5", "10"],
      windows.map((w) => [
        w.ttl,
        w.breakEvenReads.toFixed(2),
        ...w.windows.map((x) => `${x.savedPct >= 0 ? "saves" : "costs"} ${pct(Math.abs(x.savedPct))}`),
      ]),
      ["left", "right", "right", "right", "right", "right"],
    ),
  );
  out.log();
  out.log(`At ${rpm} request(s) per minute sharing this ${int(prefixTokens)}-token prefix:`);
  out.log(
    table(
      ["TTL", "hit rate", "cached $/request", "uncached $/request", "saved", "saved $/hour"],
      rates.map((r) => [
        r.ttl,
        pct(r.hitRate * 100),
        usd(r.cachedUsdPerRequest),
        usd(r.uncachedUsdPerRequest),
        pct(r.savedPct),
        usd(r.savedUsdPerHour),
      ]),
      ["left", "right", "right", "right", "right", "right"],
    ),
  );
  out.log(`recommendation: ${rec.ttl === "none" ? "do not cache" : rec.ttl} — ${rec.reason}`);
  out.log(
    "quota: cache reads do not count toward Bedrock token quotas, so a warm cache also buys throughput.",
  );
}
