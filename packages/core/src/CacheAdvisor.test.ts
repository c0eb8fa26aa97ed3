import { describe, expect, it } from "vitest";
import { buildLayout } from "./buildLayout.js";
import { createCacheAdvisor, familyKey } from "./CacheAdvisor.js";
import type { CacheUsage } from "./CacheUsage.js";
import { planCheckpoints } from "./planCheckpoints.js";
import { prefixKeys } from "./prefixKeys.js";
import { resolveModel } from "./resolveModel.js";

const model = resolveModel("us.anthropic.claude-sonnet-4-6");
const usage = (read: number, write: number, input = 10): CacheUsage => ({
  inputTokens: input,
  cacheReadInputTokens: read,
  cacheWriteInputTokens: write,
  cacheWriteByTtl: { "5m": write, "1h": 0, "30m": 0 },
  outputTokens: 5,
});

describe("CacheAdvisor", () => {
  it("refuses options that would make it remember nothing or give up at once", () => {
    for (const options of [
      { maxEntries: -1 },
      { maxEntries: 0 },
      { minWrites: 0.5 },
      { minSamples: Number.NaN },
    ]) {
      expect(() => createCacheAdvisor(options), JSON.stringify(options)).toThrowError(
        /must be a whole number ≥ 1/,
      );
    }
    expect(() => createCacheAdvisor({ maxEntries: 1, minWrites: 1, minSamples: 1 })).not.toThrow();
  });

  it("remembers the entries its plans left, and a read within the lookback refreshes the entry it found", () => {
    const advisor = createCacheAdvisor();
    const turn1 = buildLayout({
      system: [{ text: "policy ".repeat(3000) }],
      messages: [{ role: "user", content: `first question ${"x ".repeat(300)}` }],
    });
    const plan1 = planCheckpoints(turn1, model, { advisor, now: 0 });
    advisor.observe({
      plan: plan1,
      layout: turn1,
      usage: usage(0, plan1.checkpoints.at(-1)!.prefixTokens),
      at: 0,
    });
    const keys1 = prefixKeys(turn1);
    const tail1 = plan1.checkpoints.find((c) => c.role === "tail")!;
    expect(advisor.entry!(keys1[tail1.afterBlock]!)).toEqual({ ttl: "5m", expiresAt: 5 * 60_000 });
    expect(advisor.entry!("a key it never saw")).toBeUndefined();
    // Turn 2, three minutes later, reads turn 1's tail through the lookback of its own tail: the entry lives on.
    const turn2 = buildLayout({
      system: [{ text: "policy ".repeat(3000) }],
      messages: [
        { role: "user", content: `first question ${"x ".repeat(300)}` },
        { role: "assistant", content: "an answer" },
        { role: "user", content: "and then?" },
      ],
    });
    const plan2 = planCheckpoints(turn2, model, { advisor, now: 3 * 60_000 });
    advisor.observe({ plan: plan2, layout: turn2, usage: usage(tail1.prefixTokens, 20), at: 3 * 60_000 });
    expect(advisor.entry!(keys1[tail1.afterBlock]!)?.expiresAt).toBe(8 * 60_000);
    // Without a read, nothing is refreshed.
    advisor.observe({ plan: plan2, layout: turn2, usage: usage(0, 20), at: 4 * 60_000 });
    expect(advisor.entry!(keys1[tail1.afterBlock]!)?.expiresAt).toBe(8 * 60_000);
  });

  it("single-shot traffic: tails written and never read stop being placed; the shared system prompt stays", () => {
    const advisor = createCacheAdvisor({ minWrites: 3 });
    const plans = [];
    for (let i = 0; i < 6; i++) {
      const layout = buildLayout({
        system: [{ text: "policy ".repeat(3000) }],
        messages: [{ role: "user", content: `unique question ${i} ${"x ".repeat(300)}` }],
      });
      // Two minutes apart: by the sixth request, the first three tails have expired (5m) without a read.
      const now = i * 2 * 60_000;
      const plan = planCheckpoints(layout, model, { advisor, now });
      plans.push(plan);
      const sys = plan.checkpoints.find((c) => c.role === "system")!.prefixTokens;
      const last = plan.checkpoints.at(-1)!.prefixTokens;
      advisor.observe({ plan, layout, usage: i === 0 ? usage(0, last) : usage(sys, last - sys), at: now });
    }
    expect(plans[0]!.checkpoints.map((c) => c.role)).toEqual(["system", "tail"]);
    expect(plans[5]!.checkpoints.map((c) => c.role)).toEqual(["system"]);
    expect(plans[5]!.diagnostics.find((d) => d.code === "not-worth-caching")?.message).toMatch(
      /tails written and none read/,
    );
  });

  it("one client, two applications: a chat's tails are not given up because another app's single-shot tails never return", () => {
    const advisor = createCacheAdvisor({ minWrites: 3 });
    // App A: single-shot questions under its own system prompt, one a minute; its tails are never read.
    for (let i = 0; i < 12; i++) {
      const layout = buildLayout({
        system: [{ text: "classifier ".repeat(3000) }],
        messages: [{ role: "user", content: `ticket ${i} ${"x ".repeat(300)}` }],
      });
      const plan = planCheckpoints(layout, model, { advisor, now: i * 60_000 });
      const sys = plan.checkpoints.find((c) => c.role === "system")!.prefixTokens;
      const last = plan.checkpoints.at(-1)!.prefixTokens;
      advisor.observe({ plan, layout, usage: usage(sys, last - sys), at: i * 60_000 });
    }
    // App B: a chat whose first request comes five minutes after A's last ticket. Its tail is still placed: B has
    // no history of its own yet, and A's family (twelve tails, none continued within five minutes) speaks only for A.
    const chat = buildLayout({
      system: [{ text: "assistant ".repeat(3000) }],
      messages: [{ role: "user", content: `hello ${"y ".repeat(300)}` }],
    });
    const planA = planCheckpoints(
      buildLayout({
        system: [{ text: "classifier ".repeat(3000) }],
        messages: [{ role: "user", content: `ticket 99 ${"x ".repeat(300)}` }],
      }),
      model,
      { advisor, now: 16 * 60_000 },
    );
    expect(planA.checkpoints.map((c) => c.role)).toEqual(["system"]);
    expect(
      planCheckpoints(chat, model, { advisor, now: 16 * 60_000 }).checkpoints.map((c) => c.role),
    ).toEqual(["system", "tail"]);
  });

  it("a chat's first tails are not given up before their next turns had a chance to come", () => {
    const advisor = createCacheAdvisor({ minWrites: 3 });
    // Six users open a conversation within a minute; none has answered yet.
    for (let u = 0; u < 6; u++) {
      const layout = buildLayout({
        system: [{ text: "policy ".repeat(3000) }],
        messages: [{ role: "user", content: `user ${u} asks ${"x ".repeat(300)}` }],
      });
      const now = u * 10_000;
      const plan = planCheckpoints(layout, model, { advisor, now });
      expect(
        plan.checkpoints.map((c) => c.role),
        `user ${u}`,
      ).toContain("tail");
      const sys = plan.checkpoints.find((c) => c.role === "system")!.prefixTokens;
      const last = plan.checkpoints.at(-1)!.prefixTokens;
      advisor.observe({ plan, layout, usage: u === 0 ? usage(0, last) : usage(sys, last - sys), at: now });
    }
  });

  it("a conversation whose tails are read keeps them", () => {
    const advisor = createCacheAdvisor({ minWrites: 2 });
    const messages: { role: "user" | "assistant"; content: string }[] = [];
    let prevTail = 0;
    for (let t = 0; t < 5; t++) {
      messages.push({ role: "user", content: `turn ${t} ${"y ".repeat(200)}` });
      const layout = buildLayout({ system: [{ text: "policy ".repeat(3000) }], messages: [...messages] });
      const plan = planCheckpoints(layout, model, { advisor });
      expect(
        plan.checkpoints.some((c) => c.role === "tail"),
        `turn ${t}`,
      ).toBe(true);
      const tail = plan.checkpoints.at(-1)!.prefixTokens;
      advisor.observe({ plan, layout, usage: usage(prevTail, tail - prevTail) });
      prevTail = tail;
      messages.push({ role: "assistant", content: `answer ${t}` });
    }
  });

  it("the same prefix written again and again without a read stops being cached; distinct prefixes are judged apart", () => {
    const advisor = createCacheAdvisor({ minWrites: 3 });
    let last: ReturnType<typeof planCheckpoints> | undefined;
    for (let i = 0; i < 5; i++) {
      const layout = buildLayout({ system: [{ text: `${"policy ".repeat(3000)} now=${i}` }] });
      last = planCheckpoints(layout, model, { advisor });
      advisor.observe({ plan: last, layout, usage: usage(0, last.cachedTokens) });
    }
    // Each prompt is a new prefix: the advisor cannot learn across them by key, so it keeps placing one.
    expect(last!.checkpoints).toHaveLength(1);
    // The same prefix written again and again without a read (a 5m TTL shorter than the traffic gap) is dropped.
    const layout = buildLayout({ system: [{ text: "stable ".repeat(3000) }] });
    for (let i = 0; i < 3; i++) {
      const plan = planCheckpoints(layout, model, { advisor });
      advisor.observe({ plan, layout, usage: usage(0, plan.cachedTokens) });
    }
    const plan = planCheckpoints(layout, model, { advisor });
    expect(plan.checkpoints).toHaveLength(0);
    expect(plan.diagnostics.find((d) => d.code === "not-worth-caching")?.message).toMatch(
      /written 3 times and never read/,
    );
  });

  it("gives a skipped prefix another chance after minWrites × 4 observations", () => {
    const advisor = createCacheAdvisor({ minWrites: 2 });
    const layout = buildLayout({ system: [{ text: "stable ".repeat(3000) }] });
    const other = buildLayout({ system: [{ text: "other ".repeat(3000) }] });
    for (let i = 0; i < 2; i++) {
      const plan = planCheckpoints(layout, model, { advisor });
      advisor.observe({ plan, layout, usage: usage(0, plan.cachedTokens) });
    }
    expect(planCheckpoints(layout, model, { advisor }).checkpoints).toHaveLength(0);
    for (let i = 0; i < 8; i++) {
      const plan = planCheckpoints(other, model);
      advisor.observe({ plan, layout: other, usage: usage(plan.cachedTokens, 0) });
    }
    expect(planCheckpoints(layout, model, { advisor }).checkpoints).toHaveLength(1);
  });
});

describe("advisor and hints together", () => {
  it("a document seen only in its first burst keeps the 1h TTL its hinted per-document rate calls for", () => {
    const sonnet = resolveModel("us.anthropic.claude-sonnet-4-6");
    const advisor = createCacheAdvisor();
    const hints = { requestsPerMinute: 1.5, contentRequestsPerMinute: 0.33, nextTurnProbability: 0 };
    const ask = (q: number) =>
      buildLayout({
        system: [{ text: "qa-system", tokens: 400 }],
        messages: [
          {
            role: "user",
            content: [
              { kind: "document", documentFormat: "pdf", text: "contract", tokens: 40_000 },
              { text: `question ${q}`, tokens: 50 },
            ],
          },
        ],
      });
    // A burst of eight questions 30 s apart: every return so far came within five minutes.
    let plan = planCheckpoints(ask(0), sonnet, { hints, advisor, now: 0 });
    for (let q = 0; q < 8; q++) {
      const l = ask(q);
      plan = planCheckpoints(l, sonnet, { hints, advisor, now: q * 30_000 });
      const read = q === 0 ? 0 : 40_400;
      const usage: CacheUsage = {
        inputTokens: 50,
        cacheReadInputTokens: read,
        cacheWriteInputTokens: 40_400 - read,
        cacheWriteByTtl: { "5m": 0, "1h": 40_400 - read, "30m": 0 },
        outputTokens: 100,
      };
      advisor.observe({ plan, layout: l, usage, at: q * 30_000 });
    }
    expect(plan.checkpoints.find((c) => c.role === "content")?.ttl).toBe("1h");
  });
});

describe("the gap since a prefix was last seen is evidence before the request goes out", () => {
  it("a prompt that comes back every 16 minutes gets a 1h checkpoint on its second request, without hints", () => {
    const haiku = resolveModel("us.anthropic.claude-haiku-4-5-20251001-v1:0");
    const advisor = createCacheAdvisor();
    const ttls: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      const layout = buildLayout({
        system: [{ text: "runbook", tokens: 8000 }],
        messages: [{ role: "user", content: [{ text: `alert ${i}`, tokens: 100 }] }],
      });
      const now = i * 16 * 60_000;
      const plan = planCheckpoints(layout, haiku, { advisor, now });
      const sys = plan.checkpoints.find((c) => c.role === "system");
      ttls.push(sys?.ttl);
      const hit = i > 1; // the 1h entry written on the second request is read from the third on
      advisor.observe({
        plan,
        layout,
        usage: {
          inputTokens: 100,
          cacheReadInputTokens: hit ? 8000 : 0,
          cacheWriteInputTokens: hit ? 0 : 8000,
          cacheWriteByTtl: { "5m": 0, "1h": 0, "30m": 0 },
          outputTokens: 50,
        },
        at: now,
      });
    }
    expect(ttls).toEqual(["5m", "1h", "1h", "1h"]);
  });

  it("a prefix written again and again without a read is still given up on when it never comes back within an hour", () => {
    const haiku = resolveModel("us.anthropic.claude-haiku-4-5-20251001-v1:0");
    const advisor = createCacheAdvisor();
    let last: ReturnType<typeof planCheckpoints> | undefined;
    for (let i = 0; i < 5; i++) {
      const layout = buildLayout({
        system: [{ text: "nightly report", tokens: 8000 }],
        messages: [{ role: "user", content: [{ text: `night ${i}`, tokens: 100 }] }],
      });
      const now = i * 24 * 3_600_000;
      last = planCheckpoints(layout, haiku, { advisor, now });
      advisor.observe({ plan: last, layout, usage: usage(0, 8000), at: now });
    }
    expect(last!.checkpoints).toHaveLength(0);
    expect(last!.diagnostics.map((d) => d.message).join(" ")).toMatch(
      /system checkpoint.*(expected hit rate of 0%|never within an hour|never read)/,
    );
  });
});

describe("the advisor learns where an application's conversations end", () => {
  const system = { text: "policy ".repeat(3000) };
  const MIN = 60_000;
  /** Plans and observes one request of conversation `c` at turn `turns` (user messages 1..turns), at `at`. */
  const send = (advisor: ReturnType<typeof createCacheAdvisor>, c: number, turns: number, at: number) => {
    const messages: { role: "user" | "assistant"; content: string }[] = [];
    for (let t = 1; t <= turns; t++) {
      if (t > 1) messages.push({ role: "assistant", content: `answer ${c}.${t - 1} ${"z ".repeat(150)}` });
      messages.push({ role: "user", content: `user ${c} turn ${t} ${"y ".repeat(200)}` });
    }
    const layout = buildLayout({ system: [system], messages });
    const plan = planCheckpoints(layout, model, { advisor, now: at });
    // What the cache serves: the conversation's previous tail (every turn comes within a minute), else the system.
    const sys = plan.checkpoints.find((x) => x.role === "system")?.prefixTokens ?? 0;
    const mine = tails.get(advisor) ?? new Map<number, number>();
    tails.set(advisor, mine);
    const read = turns > 1 ? (mine.get(c) ?? sys) : sys;
    const last = plan.checkpoints.at(-1)?.prefixTokens ?? read;
    const tail = plan.checkpoints.find((x) => x.role === "tail");
    if (tail) mine.set(c, tail.prefixTokens);
    advisor.observe({ plan, layout, usage: usage(read, Math.max(0, last - read)), at });
    return { plan, family: familyKey(layout, prefixKeys(layout)) };
  };
  const tails = new WeakMap<object, Map<number, number>>(); // per advisor: each conversation's last tail
  /** `lengths[c]` turns for conversation c, starting 30 s apart, a turn a minute. Returns when the last one ended. */
  const converse = (advisor: ReturnType<typeof createCacheAdvisor>, lengths: number[], start = 0) => {
    let end = start;
    lengths.forEach((n, c) => {
      for (let t = 1; t <= n; t++) {
        const at = start + c * 30_000 + (t - 1) * MIN;
        send(advisor, c + start, t, at);
        end = Math.max(end, at);
      }
    });
    return end;
  };

  it("after several conversations stopped at the same turn and none went on, it names that turn; the planner then writes no tail there", () => {
    const advisor = createCacheAdvisor();
    const end = converse(advisor, Array(8).fill(4));
    const family = send(advisor, 100, 1, end + 10 * MIN).family;
    expect(advisor.maxTurns?.(family, end + 10 * MIN)).toBe(4);
    const last = send(advisor, 101, 4, end + 11 * MIN).plan;
    expect(last.checkpoints.map((c) => c.role)).not.toContain("tail");
    expect(last.diagnostics.find((d) => d.code === "not-worth-caching")?.message).toMatch(
      /turn 4, where the advisor saw this application's conversations end/,
    );
    expect(send(advisor, 102, 3, end + 12 * MIN).plan.checkpoints.map((c) => c.role)).toContain("tail");
  });

  it("learns nothing while the last turns are too young to have been followed, nor from lengths that vary", () => {
    // Eight conversations that reach their fourth turn within seconds of each other: ten seconds later, nobody
    // could tell a conversation that ended from one whose next turn is on its way.
    const young = createCacheAdvisor();
    for (let c = 0; c < 8; c++)
      for (let t = 1; t <= 4; t++) send(young, 200 + c, t, c * 1000 + (t - 1) * MIN);
    const at = 3 * MIN + 17_000;
    const family = send(young, 300, 1, at).family;
    expect(young.maxTurns?.(family, at)).toBeUndefined();
    expect(young.maxTurns?.(family, at + 5 * MIN)).toBe(4); // five minutes on, silence says they ended
    const varied = createCacheAdvisor();
    const end2 = converse(varied, [2, 5, 3, 7, 4, 6, 3, 8, 5, 2, 9, 4]);
    expect(varied.maxTurns?.(send(varied, 100, 1, end2 + 30 * MIN).family, end2 + 30 * MIN)).toBeUndefined();
  });

  it("forgets the length when a conversation goes past it, and never learns one from the same request sent again", () => {
    const advisor = createCacheAdvisor();
    const end = converse(advisor, Array(8).fill(4));
    const family = send(advisor, 100, 1, end + 10 * MIN).family;
    expect(advisor.maxTurns?.(family, end + 10 * MIN)).toBe(4);
    // A conversation at turn 5: the planner ignores the learned length for it, and the advisor drops it.
    expect(send(advisor, 3, 5, end + 11 * MIN).plan.checkpoints.map((c) => c.role)).toContain("tail");
    expect(advisor.maxTurns?.(family, end + 12 * MIN)).toBeUndefined();
    // A load test sending the same three-turn request a minute apart: each one reads the last one's tail.
    const resent = createCacheAdvisor();
    for (let i = 0; i < 12; i++) send(resent, 0, 3, i * MIN);
    expect(resent.maxTurns?.(send(resent, 1, 1, 40 * MIN).family, 40 * MIN)).toBeUndefined();
  });

  it("stated hints.maxTurns wins over what it learned", () => {
    const advisor = createCacheAdvisor();
    const end = converse(advisor, Array(8).fill(4));
    const layout = buildLayout({
      system: [system],
      messages: [
        { role: "user", content: `a ${"y ".repeat(200)}` },
        { role: "assistant", content: `b ${"z ".repeat(150)}` },
        { role: "user", content: `c ${"y ".repeat(200)}` },
        { role: "assistant", content: `d ${"z ".repeat(150)}` },
        { role: "user", content: `e ${"y ".repeat(200)}` },
        { role: "assistant", content: `f ${"z ".repeat(150)}` },
        { role: "user", content: `g ${"y ".repeat(200)}` },
      ],
    });
    const plan = planCheckpoints(layout, model, {
      advisor,
      now: end + 10 * MIN,
      hints: { maxTurns: 6, nextTurnProbability: 0.9, turnIntervalMs: MIN },
    });
    expect(plan.checkpoints.map((c) => c.role)).toContain("tail");
  });
});

describe("the advisor and a system prompt that holds the time", () => {
  const policy = "Follow the refund policy exactly. ".repeat(300);
  const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 14, minute, 7)).toISOString();

  it("single-shot requests, each with its own time: after a few writes nothing is cached, and the plan says why", () => {
    const advisor = createCacheAdvisor();
    const roles: string[][] = [];
    let last: ReturnType<typeof planCheckpoints> | undefined;
    for (let i = 0; i < 10; i++) {
      const layout = buildLayout({
        system: [`Current time: ${at(i)}. ${policy}`],
        messages: [{ role: "user", content: [`ticket ${i}`] }],
      });
      last = planCheckpoints(layout, model, { advisor, now: i * 60_000 });
      roles.push(last.checkpoints.map((c) => c.role));
      const written = last.checkpoints.at(-1)?.prefixTokens ?? 0;
      advisor.observe({ plan: last, layout, usage: usage(0, written), at: i * 60_000 }); // the time moved: no read
    }
    expect(roles[0]).toContain("system");
    expect(roles.at(-1)).toEqual([]);
    expect(last!.diagnostics.map((d) => d.message).join(" ")).toMatch(
      /system checkpoint at system\/0: the advisor saw this \d+-token prefix written \d+ times and never read \(it holds "2026-12-07T14:09:07.000Z", which changes from request to request/,
    );
  });

  it("conversations that keep their start time keep their cached system prompt: their later turns read it", () => {
    const advisor = createCacheAdvisor();
    for (let c = 0; c < 6; c++) {
      const system = [`Conversation started ${at(c)}. ${policy}`];
      const messages: { role: "user" | "assistant"; content: string[] }[] = [];
      let read = 0;
      for (let t = 0; t < 3; t++) {
        messages.push({ role: "user", content: [`c${c} question ${t} ${"y ".repeat(100)}`] });
        const layout = buildLayout({ system, messages: [...messages] });
        const now = c * 4 * 60_000 + t * 60_000;
        const plan = planCheckpoints(layout, model, { advisor, now });
        if (c === 5) expect(plan.checkpoints.map((x) => x.role)).toContain("system");
        const written = plan.checkpoints.at(-1)!.prefixTokens;
        advisor.observe({ plan, layout, usage: usage(read, written - read), at: now });
        read = plan.checkpoints.find((x) => x.role === "tail")?.prefixTokens ?? read;
        messages.push({ role: "assistant", content: [`answer ${t}`] });
      }
    }
  });
});

describe("the advisor remembers which of a conversation's entries expired", () => {
  const MIN = 60_000;
  const system = { text: "policy ".repeat(3000) };
  const hints = { maxTurns: 4, nextTurnProbability: 0.9, turnIntervalMs: MIN, lateTurnShare: 0.2 };
  const layoutAt = (turns: number) => {
    const messages: { role: "user" | "assistant"; content: string }[] = [];
    for (let t = 1; t <= turns; t++) {
      if (t > 1) messages.push({ role: "assistant", content: `answer ${t - 1} ${"z ".repeat(400)}` });
      messages.push({ role: "user", content: `question ${t} ${"y ".repeat(300)}` });
    }
    return buildLayout({ system: [system], messages });
  };

  it("the last turn, back after the tail expired, reads what is still alive and writes nothing no turn will read", () => {
    const advisor = createCacheAdvisor();
    let cached = 0; // deepest prefix the cache holds for this conversation (every turn within a minute reads it)
    for (let t = 1; t <= 3; t++) {
      const layout = layoutAt(t);
      const plan = planCheckpoints(layout, model, { advisor, now: (t - 1) * MIN, hints });
      const deepest = plan.checkpoints.at(-1)!.prefixTokens;
      advisor.observe({ plan, layout, usage: usage(cached, deepest - cached), at: (t - 1) * MIN });
      cached = deepest;
    }
    // Turn 4, the last hints.maxTurns allows, comes 20 minutes on: every 5m entry has expired.
    const last = layoutAt(4);
    const keys = prefixKeys(last);
    const plan = planCheckpoints(last, model, { advisor, now: 22 * MIN, hints });
    const alive = plan.checkpoints.filter((c) => {
      const e = advisor.entry!(keys[c.afterBlock]!);
      return e !== undefined && e.expiresAt > 22 * MIN;
    });
    // Each checkpoint reads an entry still alive, or is the system prompt's (shared by every conversation); none
    // writes a prefix of this conversation that no next turn will read.
    for (const c of plan.checkpoints)
      if (c.section === "messages")
        expect(
          alive.map((a) => a.afterBlock),
          c.path,
        ).toContain(c.afterBlock);
    expect(plan.checkpoints.map((c) => c.role)).not.toContain("tail");
  });
});
