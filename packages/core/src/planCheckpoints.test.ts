import { describe, expect, it } from "vitest";
import { buildLayout, type LayoutSpec } from "./buildLayout.js";
import { isCachepointError } from "./CachepointError.js";
import type { DiagnosticCode } from "./Diagnostic.js";
import type { PromptLayout } from "./PromptLayout.js";
import { planCheckpoints } from "./planCheckpoints.js";
import { prefixKeys } from "./prefixKeys.js";
import { resolveModel } from "./resolveModel.js";

const sonnet = resolveModel("us.anthropic.claude-sonnet-4-6");
const haiku = resolveModel("us.anthropic.claude-haiku-4-5-20251001-v1:0");
const nova = resolveModel("us.amazon.nova-pro-v1:0");
const sonnet37 = resolveModel("us.anthropic.claude-3-7-sonnet-20250219-v1:0");

const tokens = (n: number) => ({ text: `block of ${n}`, tokens: n });
const codes = (p: { diagnostics: readonly { code: DiagnosticCode }[] }) => p.diagnostics.map((d) => d.code);
const layout = (spec: LayoutSpec) => buildLayout(spec);

describe("strategies", () => {
  const chat = layout({
    tools: [tokens(1500)],
    system: [tokens(3000)],
    messages: [
      { role: "user", content: [tokens(300)] },
      { role: "assistant", content: [tokens(200)] },
      { role: "user", content: [tokens(100)] },
    ],
  });

  it("auto caches the system prompt and a moving tail, and reads the previous turn through the lookback", () => {
    const plan = planCheckpoints(chat, sonnet);
    expect(plan.checkpoints.map((c) => [c.role, c.path])).toEqual([
      ["tools", "tools/0"],
      ["system", "system/0"],
      ["tail", "messages/2/content/0"],
    ]);
    expect(plan.checkpoints.map((c) => c.prefixTokens)).toEqual([1500, 4500, 5100]);
    for (const c of plan.checkpoints) expect(c.reason).toMatch(/\S/);
    expect(plan.hasErrors).toBe(false);
  });

  it("static-prefix caches tools and system only", () => {
    const plan = planCheckpoints(chat, sonnet, { strategy: "static-prefix" });
    expect(plan.checkpoints.map((c) => c.path)).toEqual(["tools/0", "system/0"]);
  });

  it("conversation on Nova (no lookback) adds the history read point and never caches tools", () => {
    const plan = planCheckpoints(chat, nova, { strategy: "conversation" });
    expect(plan.checkpoints.map((c) => c.role)).toEqual(["system", "history", "tail"]);
    expect(plan.checkpoints.every((c) => c.section !== "tools")).toBe(true);
  });

  it("conversation replaces old message checkpoints so they never accumulate across turns", () => {
    const turns = layout({
      system: [tokens(2000)],
      messages: [
        { role: "user", content: [{ text: "q1", tokens: 300, checkpoint: true }] },
        { role: "assistant", content: [tokens(200)] },
        { role: "user", content: [{ text: "q2", tokens: 300, checkpoint: true }] },
        { role: "assistant", content: [tokens(200)] },
        { role: "user", content: [tokens(300)] },
      ],
    });
    const plan = planCheckpoints(turns, sonnet, { strategy: "conversation" });
    expect(plan.checkpoints.filter((c) => c.section === "messages").map((c) => c.path)).toEqual([
      "messages/4/content/0",
    ]);
    expect(plan.changes.filter((c) => c.action === "removed").map((c) => c.path)).toEqual([
      "messages/0/content/0#checkpoint",
      "messages/2/content/0#checkpoint",
    ]);
  });

  it("manual keeps the caller's checkpoints exactly and only reports", () => {
    const l = layout({
      system: [{ text: "s", tokens: 2000, checkpoint: "1h" }],
      messages: [{ role: "user", content: [tokens(10)] }],
    });
    const plan = planCheckpoints(l, sonnet, { strategy: "manual" });
    expect(plan.checkpoints).toHaveLength(1);
    expect(plan.checkpoints[0]).toMatchObject({ path: "system/0", ttl: "1h", origin: "user" });
  });

  it("caller checkpoints count against the budget", () => {
    const l = layout({
      tools: [{ text: "t", tokens: 1500, checkpoint: true }],
      system: [{ text: "s", tokens: 1500, checkpoint: true }],
      messages: [
        { role: "user", content: [{ text: "doc", tokens: 3000, checkpoint: true }] },
        { role: "assistant", content: [tokens(100)] },
        { role: "user", content: [tokens(100)] },
      ],
    });
    const plan = planCheckpoints(l, sonnet);
    expect(plan.checkpoints).toHaveLength(4);
    expect(plan.checkpoints.filter((c) => c.origin === "user")).toHaveLength(3);
    expect(plan.checkpoints.at(-1)?.role).toBe("tail");
  });

  it("auto finds the document anchor in a RAG question, so the next question reads the document", () => {
    const rag = layout({
      system: [tokens(200)],
      messages: [
        {
          role: "user",
          content: [{ kind: "document", documentFormat: "pdf", text: "doc", tokens: 30_000 }, tokens(40)],
        },
      ],
    });
    const plan = planCheckpoints(rag, sonnet);
    expect(plan.checkpoints.map((c) => c.role)).toContain("content");
    expect(plan.checkpoints.find((c) => c.role === "content")?.path).toBe("messages/0/content/0");
  });

  it("an agent loop longer than the 20-block lookback gets a history read point", () => {
    const messages: { role: "user" | "assistant"; content: { text: string; tokens: number }[] }[] = [];
    for (let i = 0; i < 12; i++) {
      messages.push({ role: "user", content: [{ text: `result ${i}`, tokens: 50 }] });
      messages.push({ role: "assistant", content: [{ text: `call ${i}`, tokens: 30 }] });
    }
    messages.push({
      role: "user",
      content: Array.from({ length: 25 }, (_, i) => ({ text: `r${i}`, tokens: 20 })),
    });
    const plan = planCheckpoints(layout({ system: [tokens(5000)], messages }), sonnet);
    expect(plan.checkpoints.map((c) => c.role)).toEqual(["system", "history", "tail"]);
    expect(plan.checkpoints.length).toBeLessThanOrEqual(4);
  });
});

describe("every diagnostic code, in a situation a user would recognise", () => {
  it("below-min-tokens: Haiku 4.5 with a 3,000-token prompt caches nothing and says why", () => {
    const plan = planCheckpoints(
      layout({ system: [tokens(2500)], messages: [{ role: "user", content: [tokens(500)] }] }),
      haiku,
    );
    expect(plan.checkpoints).toHaveLength(0);
    const d = plan.diagnostics.find((x) => x.code === "below-min-tokens");
    expect(d?.severity).toBe("warning");
    expect(d?.message).toMatch(/4,096/);
  });

  it("near-min-tokens: a caller checkpoint within the estimate's error of the minimum", () => {
    const plan = planCheckpoints(
      layout({ system: [{ text: "s", tokens: 1050, checkpoint: true }] }),
      sonnet,
      { strategy: "manual" },
    );
    expect(codes(plan)).toContain("near-min-tokens");
    expect(
      planCheckpoints(layout({ system: [{ text: "s", tokens: 1050, checkpoint: true }] }), sonnet, {
        strategy: "manual",
        tokenCountsExact: true,
      }).diagnostics,
    ).toHaveLength(0);
  });

  it("too-many-checkpoints: a fifth checkpoint", () => {
    const l = layout({
      system: [1, 2, 3, 4, 5].map((i) => ({ text: `s${i}`, tokens: 1200, checkpoint: true as const })),
    });
    const manual = planCheckpoints(l, sonnet, { strategy: "manual" });
    expect(
      manual.diagnostics.filter((d) => d.code === "too-many-checkpoints" && d.severity === "error"),
    ).toHaveLength(1);
    const fixed = planCheckpoints(l, sonnet);
    expect(fixed.checkpoints).toHaveLength(4);
    expect(fixed.hasErrors).toBe(false);
  });

  it("ttl-order: a 1h checkpoint after a 5m one", () => {
    const l = layout({
      system: [
        { text: "a", tokens: 2000, checkpoint: "5m" },
        { text: "b", tokens: 2000, checkpoint: "1h" },
      ],
    });
    const manual = planCheckpoints(l, sonnet, { strategy: "manual" });
    expect(manual.diagnostics.find((d) => d.code === "ttl-order")?.severity).toBe("error");
    const fixed = planCheckpoints(l, sonnet, { strategy: "static-prefix" });
    expect(fixed.checkpoints.map((c) => c.ttl)).toEqual(["5m", "5m"]);
    expect(fixed.hasErrors).toBe(false);
  });

  it("ttl-unsupported: 1h on Nova, 1h on Claude 3.7 Sonnet", () => {
    const l = layout({ system: [{ text: "a", tokens: 2000, checkpoint: "1h" }] });
    const onNova = planCheckpoints(l, nova, { strategy: "manual" });
    expect(onNova.diagnostics.find((d) => d.code === "ttl-unsupported")?.message).toMatch(
      /only supported for Anthropic/,
    );
    expect(planCheckpoints(l, sonnet37, { strategy: "manual" }).diagnostics.map((d) => d.code)).toContain(
      "ttl-unsupported",
    );
    const forced = planCheckpoints(layout({ system: [tokens(2000)] }), nova, { ttl: "1h" });
    expect(codes(forced)).toContain("ttl-unsupported");
    expect(forced.checkpoints.every((c) => c.ttl === "5m")).toBe(true);
  });

  it("field-unsupported: a cachePoint in Nova's tools", () => {
    const l = layout({ tools: [{ text: "t", tokens: 2000, checkpoint: true }], system: [tokens(100)] });
    const manual = planCheckpoints(l, nova, { strategy: "manual" });
    expect(manual.diagnostics.find((d) => d.code === "field-unsupported")?.message).toMatch(
      /tool definitions/,
    );
    const fixed = planCheckpoints(l, nova);
    expect(fixed.checkpoints.every((c) => c.section !== "tools")).toBe(true);
    expect(fixed.changes.some((c) => c.action === "removed")).toBe(true);
  });

  it("placement-forbidden: after a reasoning block, after a txt document, after a Nova toolResult, on empty text, with nothing before it", () => {
    const reasoning = layout({
      system: [tokens(2000)],
      messages: [
        { role: "user", content: [tokens(10)] },
        {
          role: "assistant",
          content: [
            { kind: "text", text: "a", tokens: 10 },
            { kind: "reasoning", text: "think", tokens: 500, checkpoint: true },
          ],
        },
      ],
    });
    const r = planCheckpoints(reasoning, sonnet, { strategy: "manual" });
    expect(r.diagnostics.find((d) => d.code === "placement-forbidden")?.message).toMatch(/reasoning/);
    const moved = planCheckpoints(reasoning, sonnet);
    expect(moved.changes.find((c) => c.action === "moved")?.toAfterBlock).toBe(2);

    const doc = layout({
      messages: [
        {
          role: "user",
          content: [
            { kind: "document", documentFormat: "txt", text: "d", tokens: 3000, checkpoint: true },
            tokens(5),
          ],
        },
      ],
    });
    expect(
      planCheckpoints(doc, sonnet, { strategy: "manual" }).diagnostics.find(
        (d) => d.code === "placement-forbidden",
      )?.message,
    ).toMatch(/non-PDF/);
    expect(planCheckpoints(doc, sonnet).checkpoints.every((c) => c.afterBlock !== 0)).toBe(true);

    const tool = layout({
      system: [tokens(2000)],
      messages: [
        { role: "user", content: [{ kind: "toolResult", text: "r", tokens: 100, checkpoint: true }] },
      ],
    });
    expect(
      planCheckpoints(tool, nova, { strategy: "manual" }).diagnostics.find(
        (d) => d.code === "placement-forbidden",
      )?.message,
    ).toMatch(/toolResult/);
    expect(
      planCheckpoints(tool, sonnet, { strategy: "manual" }).diagnostics.filter(
        (d) => d.code === "placement-forbidden",
      ),
    ).toHaveLength(0);

    const empty = layout({ system: [tokens(2000), { text: "", checkpoint: true }] });
    expect(
      planCheckpoints(empty, sonnet, { strategy: "manual" }).diagnostics.find(
        (d) => d.code === "placement-forbidden",
      )?.message,
    ).toMatch(/empty/);

    const nothing: PromptLayout = {
      blocks: [],
      checkpoints: [{ afterBlock: -1, ttl: undefined, path: "system/0", section: "system" }],
    };
    expect(
      planCheckpoints(nothing, sonnet, { strategy: "manual" }).diagnostics.find(
        (d) => d.code === "placement-forbidden",
      )?.message,
    ).toMatch(/nothing before it/);

    const inside: PromptLayout = {
      blocks: [
        {
          section: "messages",
          kind: "toolResult",
          path: "messages/0/content/0",
          tokens: 3000,
          messageIndex: 0,
          role: "user",
        },
      ],
      checkpoints: [
        {
          afterBlock: 0,
          ttl: undefined,
          path: "messages/0/content/0/toolResult/content/1",
          section: "messages",
          inside: "toolResult",
        },
      ],
    };
    expect(
      planCheckpoints(inside, sonnet, { strategy: "manual" }).diagnostics.find(
        (d) => d.code === "placement-forbidden",
      )?.message,
    ).toMatch(/inside toolResult/);
  });

  it("max-cached-tokens: Nova's 20K cap moves the checkpoint to a prefix that fits", () => {
    const l = layout({
      system: [tokens(8000), tokens(8000), tokens(8000)],
      messages: [{ role: "user", content: [tokens(100)] }],
    });
    const plan = planCheckpoints(l, nova);
    expect(codes(plan)).toContain("max-cached-tokens");
    expect(plan.checkpoints.every((c) => c.prefixTokens <= 20_000)).toBe(true);
    expect(plan.checkpoints.length).toBeGreaterThan(0);
  });

  it("model-unsupported: Llama with a cachePoint", () => {
    const l = layout({ system: [{ text: "s", tokens: 3000, checkpoint: true }] });
    const llama = resolveModel("meta.llama3-3-70b-instruct-v1:0");
    const manual = planCheckpoints(l, llama, { strategy: "manual" });
    expect(manual.diagnostics[0]).toMatchObject({ code: "model-unsupported", severity: "error" });
    expect(manual.diagnostics[0]?.message).toMatch(/unsupported model/);
    const auto = planCheckpoints(l, llama);
    expect(auto.checkpoints).toHaveLength(0);
    expect(auto.changes[0]?.action).toBe("removed");
  });

  it("unknown-model: a typo in the model ID", () => {
    const plan = planCheckpoints(layout({ system: [tokens(3000)] }), "us.anthropic.claude-sonet-4-6");
    expect(plan.diagnostics[0]).toMatchObject({ code: "unknown-model", severity: "error" });
    expect(plan.diagnostics[0]?.message).toMatch(/claude-sonnet-4-6/);
  });

  it("legacy-text-completion: the seed payload cannot cache", () => {
    const legacy: PromptLayout = {
      format: "legacy-text-completion",
      blocks: [{ section: "messages", kind: "text", path: "prompt", tokens: 8 }],
      checkpoints: [{ afterBlock: 0, ttl: undefined, path: "cache_control", section: "messages" }],
    };
    const plan = planCheckpoints(legacy, sonnet37);
    expect(plan.diagnostics[0]?.code).toBe("legacy-text-completion");
    expect(plan.diagnostics[0]?.message).toMatch(/Messages API/);
    expect(plan.checkpoints).toHaveLength(0);
  });

  it("not-worth-caching: one request every five hours skips caching altogether", () => {
    const plan = planCheckpoints(
      layout({ system: [tokens(5000)], messages: [{ role: "user", content: [tokens(50)] }] }),
      sonnet,
      {
        hints: { requestsPerMinute: 1 / 300, nextTurnProbability: 0 },
      },
    );
    expect(codes(plan)).toContain("not-worth-caching");
    expect(plan.checkpoints).toHaveLength(0);
  });

  it("assumed-limit: Nova 2 Lite's undocumented maximum", () => {
    const plan = planCheckpoints(
      layout({ system: [tokens(3000)] }),
      resolveModel("us.amazon.nova-2-lite-v1:0"),
    );
    expect(codes(plan)).toContain("assumed-limit");
  });
});

describe("cost-aware auto", () => {
  const l = layout({ system: [tokens(6000)], messages: [{ role: "user", content: [tokens(100)] }] });

  it("chooses 1h when requests arrive every ~20 minutes, 5m when every ~30 seconds", () => {
    const sparse = planCheckpoints(l, sonnet, {
      hints: { requestsPerMinute: 1 / 20, nextTurnProbability: 0 },
    });
    expect(sparse.checkpoints.find((c) => c.role === "system")?.ttl).toBe("1h");
    const busy = planCheckpoints(l, sonnet, { hints: { requestsPerMinute: 2, nextTurnProbability: 0 } });
    expect(busy.checkpoints.find((c) => c.role === "system")?.ttl).toBe("5m");
  });

  it("TTLs come out non-increasing even when the tail would prefer the longer one", () => {
    const plan = planCheckpoints(l, sonnet, {
      hints: { requestsPerMinute: 3, nextTurnProbability: 1, turnIntervalMs: 20 * 60_000 },
    });
    const ranks = plan.checkpoints.map((c) => (c.ttl === "1h" ? 2 : 1));
    for (let i = 1; i < ranks.length; i++) expect(ranks[i]).toBeLessThanOrEqual(ranks[i - 1]!);
  });

  it("estimates cold, warm and uncached cost, and the break-even", () => {
    const plan = planCheckpoints(l, sonnet, { strategy: "static-prefix" });
    expect(plan.estimate!.coldUsd).toBeGreaterThan(plan.estimate!.uncachedUsd);
    expect(plan.estimate!.warmUsd).toBeLessThan(plan.estimate!.uncachedUsd);
    expect(plan.estimate!.breakEvenReads).toBeCloseTo(0.25 / 0.9, 5);
  });
});

describe("auto in long conversations: a 1h read point at the previous answer when turns come back late", () => {
  // 6k system prompt, seven turns of history (~9k tokens), a new question.
  const history = Array.from({ length: 7 }, (_, t) => [
    { role: "user" as const, content: [{ text: `q${t}`, tokens: 300 }] },
    { role: "assistant" as const, content: [{ text: `a${t}`, tokens: 1000 }] },
  ]).flat();
  const chat = layout({
    system: [tokens(6000)],
    messages: [...history, { role: "user", content: [{ text: "q7", tokens: 200 }] }],
  });
  const plan = (hints?: object, extra: object = {}) =>
    planCheckpoints(chat, sonnet, { ...(hints && { hints }), ...extra });
  /** The same conversation at its turn t: t answers behind it and a new question. */
  const atTurn = (t: number) =>
    layout({
      system: [tokens(6000)],
      messages: [...history.slice(0, 2 * t), { role: "user", content: [{ text: `q${t}`, tokens: 200 }] }],
    });

  it("places a 1h turn checkpoint on the previous answer every few turns, with the tail at 5m", () => {
    const hints = { requestsPerMinute: 2, nextTurnProbability: 0.9, turnIntervalMs: 3 * 60_000 };
    // The same conversation, request by request: turn t has t answers behind it.
    const hedged: number[] = [];
    for (let t = 1; t <= 7; t++) {
      const l = atTurn(t);
      const p = planCheckpoints(l, sonnet, { hints });
      const byRole = Object.fromEntries(p.checkpoints.map((c) => [c.role, c]));
      // A late turn rewrites only what came after the last read point, so the tail never needs 1h here.
      expect(byRole.tail?.ttl).toBe("5m");
      if (!byRole.turn) continue;
      hedged.push(t);
      expect(byRole.turn.afterBlock).toBe(l.blocks.length - 2);
      expect(byRole.turn.ttl).toBe("1h");
      expect(byRole.system?.ttl).toBe("1h"); // Bedrock requires longer TTLs first
      expect(byRole.turn.reason).toMatch(/previous answer.*since the last one.*outlives a think time/);
    }
    // About 1,300 new tokens a turn s, and θ = √(2 × 1h premium × s / risk) ≈ 3,150: one more turn between read
    // points pays while n × (n + 1) < (θ / s)² ≈ 5.9, so a read point every second turn, not every turn (and not
    // every third, where the run would first reach θ).
    expect(hedged).toEqual([2, 4, 6]);
  });

  it("places read points more often the more turns come back late, and caches the tail at 1h when most do", () => {
    const requests = (turnIntervalMs: number) =>
      Array.from(
        { length: 7 },
        (_, i) =>
          planCheckpoints(atTurn(i + 1), sonnet, {
            hints: { requestsPerMinute: 2, nextTurnProbability: 0.9, turnIntervalMs },
          }).checkpoints,
      );
    const hedges = (ms: number) => requests(ms).filter((cps) => cps.some((c) => c.role === "turn")).length;
    // From 3 minutes on, a read point every second turn: three in seven turns.
    expect([hedges(60_000), hedges(2 * 60_000), hedges(3 * 60_000), hedges(6 * 60_000)]).toEqual([
      0, 1, 3, 3,
    ]);
    // Think times of 20 minutes on average: where the tail is cached it is written at 1h, and a read point under it
    // adds nothing.
    const slow = requests(20 * 60_000);
    expect(slow.flat().some((c) => c.role === "turn")).toBe(false);
    const tails = slow.flatMap((cps) => cps.filter((c) => c.role === "tail"));
    expect(tails.length).toBeGreaterThanOrEqual(6); // every turn after the first, not every other one
    expect(tails.every((c) => c.ttl === "1h")).toBe(true);
  });

  it("hedges more often when the hints say more turns come back late than the mean alone implies", () => {
    const hedges = (hints: object) =>
      Array.from(
        { length: 7 },
        (_, i) => planCheckpoints(atTurn(i + 1), sonnet, { hints }).checkpoints,
      ).filter((cps) => cps.some((c) => c.role === "turn")).length;
    const mean = { requestsPerMinute: 2, nextTurnProbability: 0.9, turnIntervalMs: 2 * 60_000 };
    // A 2-minute mean puts e^(−2.5) ≈ 8% of think times past five minutes; the logs say 30%.
    expect(hedges(mean)).toBe(1);
    expect(hedges({ ...mean, lateTurnShare: 0.3 })).toBe(3);
    expect(hedges({ ...mean, lateTurnShare: 0 })).toBe(0);
  });

  it("at the last turn hints.maxTurns allows, caches nothing for a next turn but still reads what the last one wrote", () => {
    const hints = {
      requestsPerMinute: 2,
      nextTurnProbability: 1,
      turnIntervalMs: 3 * 60_000,
      lateTurnShare: 0.2,
    };
    // atTurn(7) holds eight user messages: the eighth turn.
    const roles = (t: number, extra: object = {}) => {
      const p = planCheckpoints(atTurn(t), sonnet, { hints: { ...hints, ...extra } });
      return { p, byRole: Object.fromEntries(p.checkpoints.map((c) => [c.role, c])) };
    };
    const last = roles(7, { maxTurns: 8 });
    const previousTail = atTurn(7).blocks.length - 3; // the seventh question, before its answer and the new question
    expect(last.byRole.tail).toBeUndefined();
    expect(last.byRole.turn).toBeUndefined();
    expect(last.byRole.history?.afterBlock).toBe(previousTail);
    expect(last.p.diagnostics.map((d) => d.message).join("\n")).toMatch(
      /tail checkpoint .*turn 8, the last one hints\.maxTurns \(8\) allows/,
    );
    // Without the limit, or before it, the same conversation caches its tail for the next turn.
    expect(roles(7).byRole.tail?.afterBlock).toBe(atTurn(7).blocks.length - 1);
    expect(roles(6, { maxTurns: 8 }).byRole.tail).toBeDefined();
  });

  it("with an advisor's memory, a turn that comes back late defers its read point to the next turn", () => {
    const hints = { requestsPerMinute: 2, nextTurnProbability: 0.9, turnIntervalMs: 3 * 60_000 };
    // Blocks: 0 system, then one per message: q0 1, a0 2, q1 3, a1 4, … The schedule alone puts read points in
    // atTurn(2), (4) and (6), on the answers at blocks 4, 8 and 12.
    const keys = prefixKeys(atTurn(7));
    const now = 10 * 60 * 60_000;
    const remembering = (alive: Record<number, "5m" | "1h">, dead: number[]) => {
      const entries = new Map<string, { ttl: "5m" | "1h"; expiresAt: number }>();
      for (const [i, ttl] of Object.entries(alive))
        entries.set(keys[Number(i)]!, { ttl, expiresAt: now + 60_000 });
      for (const i of dead) entries.set(keys[i]!, { ttl: "5m", expiresAt: now - 60_000 });
      return {
        advise: () => undefined,
        observed: () => undefined,
        observe() {},
        entry: (k: string) => entries.get(k),
      };
    };
    const turnAt = (t: number, advisor?: ReturnType<typeof remembering>) =>
      planCheckpoints(atTurn(t), sonnet, { hints, now, ...(advisor && { advisor }) }).checkpoints.find(
        (c) => c.role === "turn",
      )?.afterBlock;
    expect([turnAt(4), turnAt(5)]).toEqual([8, undefined]);
    // atTurn(4) comes back late: turn 3's tail (block 7) expired, the read point on block 4 lives. A read point now
    // would write everything since block 4 at the 1h price; it waits for the next turn.
    expect(turnAt(4, remembering({ 4: "1h" }, [7]))).toBeUndefined();
    // atTurn(5) on time: its previous tail (block 9) lives, and the run since block 4 has grown: the read point
    // goes on the answer now, where the schedule alone would not place one.
    expect(turnAt(5, remembering({ 4: "1h", 9: "5m" }, [7]))).toBe(10);
    // Decided by looking ahead over the turns to come, and the plan says so.
    const reason = planCheckpoints(atTurn(5), sonnet, {
      hints,
      now,
      advisor: remembering({ 4: "1h", 9: "5m" }, [7]),
    }).checkpoints.find((c) => c.role === "turn")?.reason;
    expect(reason).toMatch(/over the turns to come .* since the conversation's last live 1h entry/);
    // A memory that agrees with the schedule changes nothing.
    expect(turnAt(4, remembering({ 4: "1h", 7: "5m" }, []))).toBe(8);
    expect(turnAt(5, remembering({ 8: "1h", 9: "5m" }, []))).toBeUndefined();
  });

  it("a tail that does not pay gives way to a read of what the previous turn wrote, not to nothing", () => {
    // Nobody is expected to come back, so nothing is cached for a next turn; but the previous turn's tail is in the
    // cache, and only a checkpoint at or after it reads it.
    const p = planCheckpoints(atTurn(3), sonnet, { hints: { requestsPerMinute: 2, nextTurnProbability: 0 } });
    expect(p.checkpoints.map((c) => [c.role, c.afterBlock])).toEqual([
      ["system", 0],
      ["history", atTurn(3).blocks.length - 3],
    ]);
  });

  it("a read point near the last turn must pay back over the turns left", () => {
    const hints = {
      requestsPerMinute: 2,
      nextTurnProbability: 1,
      turnIntervalMs: 3 * 60_000,
      lateTurnShare: 0.2,
    };
    const hedged = (maxTurns?: number) =>
      [1, 2, 3, 4, 5, 6, 7].filter((t) =>
        planCheckpoints(atTurn(t), sonnet, {
          hints: { ...hints, ...(maxTurns && { maxTurns }) },
        }).checkpoints.some((c) => c.role === "turn"),
      );
    // Open-ended: a read point every second turn.
    expect(hedged()).toEqual([2, 4, 6]);
    // With eight turns in all, the read point in the seventh (atTurn(6)) would protect the eighth alone: one time in
    // five it comes back late and rewrites the ~2,600 tokens since the last read point, 20% × (1.25 − 0.1) × 2,600
    // ≈ 600 token-prices, less than the 1h premium on the 1,000-token answer, (2 − 1.25) × 1,000 = 750.
    expect(hedged(8)).toEqual([2, 4]);
    // Far from the limit, nothing changes.
    expect(hedged(30)).toEqual([2, 4, 6]);
  });

  it("does not hedge when turns come back within seconds, without hints, or with a forced TTL", () => {
    const fast = plan({ requestsPerMinute: 2, nextTurnProbability: 0.9, turnIntervalMs: 10_000 });
    expect(fast.checkpoints.map((c) => c.role)).not.toContain("turn");
    expect(plan().checkpoints.map((c) => c.role)).not.toContain("turn");
    const forced = plan({ nextTurnProbability: 0.9, turnIntervalMs: 3 * 60_000 }, { ttl: "5m" });
    expect(forced.checkpoints.map((c) => c.role)).not.toContain("turn");
  });

  it("does not hedge on a model without a 1h TTL", () => {
    const p = planCheckpoints(chat, resolveModel("us.anthropic.claude-3-7-sonnet-20250219-v1:0"), {
      hints: { requestsPerMinute: 2, nextTurnProbability: 0.9, turnIntervalMs: 3 * 60_000 },
    });
    expect(p.checkpoints.map((c) => c.role)).not.toContain("turn");
  });
});

describe("auto with documents: the per-document rate decides the document's TTL", () => {
  const doc = layout({
    system: [tokens(400)],
    messages: [
      {
        role: "user",
        content: [{ kind: "document", documentFormat: "pdf", text: "contract", tokens: 40_000 }, tokens(50)],
      },
    ],
  });
  const contentTtl = (hints: object) =>
    planCheckpoints(doc, sonnet, { hints }).checkpoints.find((c) => c.role === "content")?.ttl;

  it("1h when each document is asked about 20 times an hour, 5m when every few seconds", () => {
    expect(
      contentTtl({ requestsPerMinute: 1.5, contentRequestsPerMinute: 0.33, nextTurnProbability: 0 }),
    ).toBe("1h");
    expect(contentTtl({ requestsPerMinute: 1.5, contentRequestsPerMinute: 20, nextTurnProbability: 0 })).toBe(
      "5m",
    );
    // Without the per-document rate, the overall rate stands for it.
    expect(contentTtl({ requestsPerMinute: 20, nextTurnProbability: 0 })).toBe("5m");
  });
});

describe("bad input", () => {
  it("strict mode throws a CachepointError carrying the plan", () => {
    const l = layout({
      system: [1, 2, 3, 4, 5].map((i) => ({ text: `s${i}`, tokens: 1200, checkpoint: true as const })),
    });
    try {
      planCheckpoints(l, sonnet, { strategy: "manual", strict: true });
      expect.unreachable();
    } catch (e) {
      expect(isCachepointError(e) && e.reason).toBe("strict-mode");
    }
  });

  it("rejects broken layouts and options with typed errors", () => {
    expect(() => planCheckpoints({} as PromptLayout, sonnet)).toThrowError(/blocks/);
    expect(() =>
      planCheckpoints(
        { blocks: [], checkpoints: [{ afterBlock: 3, ttl: undefined, path: "x", section: "system" }] },
        sonnet,
      ),
    ).toThrowError(/does not exist/);
    expect(() =>
      planCheckpoints(
        {
          blocks: [
            { section: "messages", kind: "text", path: "m", tokens: 1 },
            { section: "system", kind: "text", path: "s", tokens: 1 },
          ],
          checkpoints: [],
        },
        sonnet,
      ),
    ).toThrowError(/processing order/);
    expect(() =>
      planCheckpoints(
        { blocks: [{ section: "system", kind: "text", path: "s", tokens: Number.NaN }], checkpoints: [] },
        sonnet,
      ),
    ).toThrowError(/finite/);
    expect(() => planCheckpoints(layout({}), sonnet, { strategy: "greedy" as never })).toThrowError(
      /Unknown strategy/,
    );
  });

  it("never mutates the layout it was given", () => {
    const l = layout({
      system: [
        { text: "a", tokens: 2000, checkpoint: "5m" },
        { text: "b", tokens: 2000, checkpoint: "1h" },
      ],
    });
    const frozen = structuredClone(l);
    planCheckpoints(l, sonnet);
    expect(l).toEqual(frozen);
  });
});

describe("traffic hints are checked", () => {
  const l = layout({ system: [tokens(6000)], messages: [{ role: "user", content: [tokens(100)] }] });
  const reason = (hints: unknown) => {
    try {
      planCheckpoints(l, sonnet, { hints: hints as never });
    } catch (e) {
      return isCachepointError(e) ? `${e.reason}: ${e.message}` : `other: ${String(e)}`;
    }
    return "accepted";
  };

  it("a misspelt hint is refused with the closest known name, not silently ignored", () => {
    expect(reason({ requestPerMinute: 2 })).toMatch(
      /invalid-option: Unknown traffic hint "requestPerMinute".*requestsPerMinute/,
    );
  });

  it("out-of-range or non-numeric values are refused with what was expected", () => {
    expect(reason({ nextTurnProbability: 1.5 })).toMatch(
      /nextTurnProbability must be a probability from 0 to 1, got 1.5/,
    );
    expect(reason({ requestsPerMinute: Number.NaN })).toMatch(/requestsPerMinute must be a rate ≥ 0/);
    expect(reason({ turnIntervalMs: "3000" })).toMatch(/turnIntervalMs must be milliseconds ≥ 0, got "3000"/);
    expect(reason([])).toMatch(/hints must be an object/);
    expect(reason({ lateTurnShare: 20 })).toMatch(/lateTurnShare must be a share from 0 to 1, got 20/);
    expect(reason({ maxTurns: 0 })).toMatch(/maxTurns must be a whole number of turns ≥ 1, got 0/);
    expect(reason({ maxTurns: 2.5 })).toMatch(/maxTurns must be a whole number of turns ≥ 1, got 2.5/);
  });

  it("valid hints, and undefined values, are accepted", () => {
    expect(reason({ requestsPerMinute: 0, nextTurnProbability: 1, turnIntervalMs: undefined })).toBe(
      "accepted",
    );
  });
});
