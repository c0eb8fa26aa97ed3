import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bedrockModels } from "./data/bedrockModels.js";
import type { BlockKind, ExistingCheckpoint, LayoutBlock, PromptLayout } from "./PromptLayout.js";
import { planCheckpoints } from "./planCheckpoints.js";
import { prefixKeys } from "./prefixKeys.js";
import { type ResolvedModel, resolveModel } from "./resolveModel.js";

// Property runs scale with CACHEPOINT_FUZZ_RUNS (CI default keeps the suite fast).
const runs = Number(process.env.CACHEPOINT_FUZZ_RUNS ?? 300);

const kinds: BlockKind[] = [
  "text",
  "text",
  "text",
  "image",
  "document",
  "toolUse",
  "toolResult",
  "reasoning",
  "guardContent",
];
const ttlArb = fc.constantFrom<"5m" | "1h" | undefined>(undefined, undefined, "5m", "1h");

const blockArb = fc.record({
  kind: fc.constantFrom(...kinds),
  tokens: fc.oneof(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 9000 })),
  pdf: fc.boolean(),
  empty: fc.boolean(),
  checkpoint: fc.option(ttlArb, { nil: null, freq: 4 }),
});

const layoutArb = fc
  .record({
    tools: fc.array(blockArb, { maxLength: 3 }),
    system: fc.array(blockArb, { maxLength: 3 }),
    messages: fc.array(fc.array(blockArb, { minLength: 1, maxLength: 5 }), { maxLength: 8 }),
  })
  .map(({ tools, system, messages }): PromptLayout => {
    const blocks: LayoutBlock[] = [];
    const checkpoints: ExistingCheckpoint[] = [];
    const push = (
      section: LayoutBlock["section"],
      path: string,
      b: typeof blockArb extends fc.Arbitrary<infer T> ? T : never,
      extra: Partial<LayoutBlock>,
    ) => {
      const kind: BlockKind =
        section === "tools" ? "toolSpec" : section === "system" && b.kind !== "text" ? "text" : b.kind;
      blocks.push({
        section,
        kind,
        path,
        tokens: b.tokens,
        fingerprint: `${path}:${b.tokens}`,
        ...(kind === "document" && { documentFormat: b.pdf ? "pdf" : "txt" }),
        ...(kind === "text" && b.empty && b.tokens === 0 && { empty: true }),
        ...extra,
      });
      if (b.checkpoint !== null)
        checkpoints.push({ afterBlock: blocks.length - 1, ttl: b.checkpoint, path: `${path}#cp`, section });
    };
    for (const [i, b] of tools.entries()) push("tools", `tools/${i}`, b, {});
    for (const [i, b] of system.entries()) push("system", `system/${i}`, b, {});
    for (const [mi, content] of messages.entries()) {
      for (const [ci, b] of content.entries()) {
        push("messages", `messages/${mi}/content/${ci}`, b, {
          messageIndex: mi,
          role: mi % 2 === 0 ? "user" : "assistant",
        });
      }
    }
    return { blocks, checkpoints };
  });

const hintsArb = fc.option(
  fc.record(
    {
      requestsPerMinute: fc.double({ min: 0, max: 30, noNaN: true }),
      contentRequestsPerMinute: fc.double({ min: 0, max: 30, noNaN: true }),
      nextTurnProbability: fc.double({ min: 0, max: 1, noNaN: true }),
      turnIntervalMs: fc.integer({ min: 1000, max: 3_600_000 }),
      lateTurnShare: fc.double({ min: 0, max: 1, noNaN: true }),
      maxTurns: fc.integer({ min: 1, max: 10 }),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

const models: ResolvedModel[] = bedrockModels.models.map((m) => {
  const prefix = m.pricing.find((p) => p.prefixes.length > 0)?.prefixes[0];
  return resolveModel(prefix ? `${prefix}.${m.id}` : m.id);
});

/** An independent statement of what Bedrock accepts and caches, written from bedrock-facts.md §3.6/§9. */
function violations(
  layout: PromptLayout,
  model: ResolvedModel,
  plan: ReturnType<typeof planCheckpoints>,
): string[] {
  const r = model.rules;
  const out: string[] = [];
  const cps = plan.checkpoints;
  if (cps.length > r.maxCheckpoints) out.push(`${cps.length} checkpoints > ${r.maxCheckpoints}`);
  let cum = 0;
  const prefix: number[] = layout.blocks.map((b) => (cum += b.tokens));
  const rank = { "1h": 3, "30m": 2, "5m": 1 } as const;
  let last = 99;
  let lastAfter = -1;
  for (const c of cps) {
    const b = layout.blocks[c.afterBlock];
    if (!b) {
      out.push(`checkpoint after missing block ${c.afterBlock}`);
      continue;
    }
    if (c.afterBlock <= lastAfter) out.push("checkpoints out of order or duplicated");
    lastAfter = c.afterBlock;
    if (c.prefixTokens !== prefix[c.afterBlock])
      out.push(`prefixTokens ${c.prefixTokens} != ${prefix[c.afterBlock]}`);
    if (prefix[c.afterBlock]! < r.minTokensPerCheckpoint)
      out.push(`prefix ${prefix[c.afterBlock]} below minimum at ${c.path}`);
    if (!r.cacheableSections.has(b.section)) out.push(`section ${b.section} not cacheable`);
    if (b.kind === "reasoning" && r.forbiddenPlacements.has("after-reasoning")) out.push("after reasoning");
    if (
      b.kind === "document" &&
      b.documentFormat !== "pdf" &&
      r.forbiddenPlacements.has("after-non-pdf-document")
    )
      out.push("after non-PDF document");
    if (b.kind === "toolResult" && r.forbiddenPlacements.has("after-tool-result"))
      out.push("after Nova toolResult");
    if (b.empty) out.push("on empty text");
    if (!r.ttls.includes(c.ttl)) out.push(`ttl ${c.ttl} not offered`);
    if (rank[c.ttl] > last) out.push("ttl order");
    last = Math.min(last, rank[c.ttl]);
    if (r.maxCachedTokens !== null && c.origin === "planned" && c.prefixTokens > r.maxCachedTokens)
      out.push("over max cached tokens");
    if (!c.reason) out.push("checkpoint without a reason");
  }
  return out;
}

describe("every plan is valid for its model (fast-check)", () => {
  for (const strategy of ["auto", "static-prefix", "conversation"] as const) {
    it(`${strategy}: random layouts × every model`, () => {
      fc.assert(
        fc.property(layoutArb, fc.constantFrom(...models), hintsArb, (layout, model, hints) => {
          const plan = planCheckpoints(layout, model, { strategy, ...(hints && { hints }) });
          const v = violations(layout, model, plan);
          if (model.rules.supportsExplicitCaching) {
            expect(v).toEqual([]);
            expect(plan.hasErrors).toBe(false);
          } else {
            expect(plan.checkpoints).toEqual([]);
          }
        }),
        { numRuns: runs },
      );
    });
  }

  it("auto with an advisor that remembers random entries (alive or expired, 5m or 1h): random layouts × every model", () => {
    const memoryArb = fc.array(
      fc.record({ block: fc.nat(60), ttl: fc.constantFrom<"5m" | "1h">("5m", "1h"), alive: fc.boolean() }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(
        layoutArb,
        fc.constantFrom(...models),
        hintsArb,
        memoryArb,
        (layout, model, hints, memory) => {
          const now = 1_000_000_000;
          const keys = prefixKeys(layout);
          const entries = new Map<string, { ttl: "5m" | "1h"; expiresAt: number }>();
          for (const m of memory)
            if (keys[m.block] !== undefined)
              entries.set(keys[m.block]!, { ttl: m.ttl, expiresAt: now + (m.alive ? 60_000 : -60_000) });
          const advisor = {
            advise: () => undefined,
            observed: () => undefined,
            observe() {},
            entry: (k: string) => entries.get(k),
          };
          const plan = planCheckpoints(layout, model, { advisor, now, ...(hints && { hints }) });
          if (model.rules.supportsExplicitCaching) {
            expect(violations(layout, model, plan)).toEqual([]);
            expect(plan.hasErrors).toBe(false);
          } else expect(plan.checkpoints).toEqual([]);
        },
      ),
      { numRuns: runs },
    );
  });

  it("manual reports an error exactly when the caller's checkpoints break a Bedrock rule that rejects the request", () => {
    fc.assert(
      fc.property(
        layoutArb,
        fc.constantFrom(...models.filter((m) => m.rules.supportsExplicitCaching)),
        (layout, model) => {
          const plan = planCheckpoints(layout, model, { strategy: "manual" });
          const rejecting = violations(layout, model, plan).filter((v) => !v.includes("below minimum"));
          expect(plan.hasErrors).toBe(rejecting.length > 0);
        },
      ),
      { numRuns: runs },
    );
  });

  it("planning never mutates its input", () => {
    fc.assert(
      fc.property(layoutArb, fc.constantFrom(...models), (layout, model) => {
        const copy = structuredClone(layout);
        planCheckpoints(layout, model);
        expect(layout).toEqual(copy);
      }),
      { numRuns: Math.ceil(runs / 3) },
    );
  });
});
