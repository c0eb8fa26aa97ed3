import { buildLayout, type LayoutSpec, resolveModel } from "@cachepoint/core";
import { describe, expect, it } from "vitest";
import { CacheSimulator } from "./CacheSimulator.js";
import { createManualClock } from "./Clock.js";

const sonnet = resolveModel("us.anthropic.claude-sonnet-4-6");
const nova = resolveModel("us.amazon.nova-pro-v1:0");
const MIN = 60_000;

function setup(maxEntries?: number) {
  const clock = createManualClock();
  const sim = new CacheSimulator({ clock, ...(maxEntries && { maxEntries }) });
  const send = (
    spec: LayoutSpec,
    opts: { account?: string; region?: string; model?: typeof sonnet; commit?: boolean } = {},
  ) => {
    const model = opts.model ?? sonnet;
    const r = sim.simulate({
      accountId: opts.account ?? "111111111111",
      region: opts.region ?? "us-east-1",
      modelId: model.id,
      rules: model.rules,
      layout: buildLayout(spec),
    });
    if (opts.commit !== false) r.commit();
    return r;
  };
  return { clock, sim, send };
}

const prompt = (ttl: "5m" | "1h" | true = true, question = "What is the refund window?"): LayoutSpec => ({
  system: [{ text: "policy", tokens: 5000, checkpoint: ttl }],
  messages: [{ role: "user", content: [{ text: question, tokens: 20 }] }],
});

describe("CacheSimulator", () => {
  it("first request writes, second reads, the TTL passes and the next writes again", () => {
    const { clock, send } = setup();
    expect(send(prompt()).usage).toMatchObject({
      inputTokens: 20,
      cacheWriteInputTokens: 5000,
      cacheReadInputTokens: 0,
    });
    clock.advance(4 * MIN);
    expect(send(prompt()).usage).toMatchObject({
      inputTokens: 20,
      cacheWriteInputTokens: 0,
      cacheReadInputTokens: 5000,
    });
    clock.advance(5 * MIN); // 5 minutes after the last hit: expired exactly at the TTL
    expect(send(prompt()).usage.cacheWriteInputTokens).toBe(5000);
  });

  it("a hit refreshes the TTL: reads every 4 minutes keep a 5m entry alive for 20 minutes", () => {
    const { clock, send } = setup();
    send(prompt());
    for (let i = 0; i < 5; i++) {
      clock.advance(4 * MIN);
      expect(send(prompt()).usage.cacheReadInputTokens).toBe(5000);
    }
  });

  it("1h entries survive where 5m ones expire", () => {
    const { clock, send } = setup();
    send(prompt("1h"));
    send({ ...prompt("5m"), system: [{ text: "other policy", tokens: 5000, checkpoint: "5m" }] });
    clock.advance(30 * MIN);
    expect(send(prompt("1h")).usage.cacheReadInputTokens).toBe(5000);
    expect(
      send({ ...prompt("5m"), system: [{ text: "other policy", tokens: 5000, checkpoint: "5m" }] }).usage
        .cacheReadInputTokens,
    ).toBe(0);
  });

  it("mixed TTLs are billed as Anthropic documents: 1h up to the last 1h checkpoint, 5m after", () => {
    const { send } = setup();
    const r = send({
      system: [{ text: "a", tokens: 3000, checkpoint: "1h" }],
      messages: [
        {
          role: "user",
          content: [
            { text: "b", tokens: 2000, checkpoint: "5m" },
            { text: "c", tokens: 10 },
          ],
        },
      ],
    });
    expect(r.usage.cacheWriteByTtl).toEqual({ "1h": 3000, "5m": 2000, "30m": 0 });
    expect(r.usage.inputTokens).toBe(10);
  });

  it("below the minimum nothing is cached and both counters stay 0", () => {
    const { send } = setup();
    const small: LayoutSpec = {
      system: [{ text: "short", tokens: 1000, checkpoint: true }],
      messages: [{ role: "user", content: "hi" }],
    };
    const a = send(small);
    const b = send(small);
    for (const r of [a, b]) {
      expect(r.usage.cacheReadInputTokens).toBe(0);
      expect(r.usage.cacheWriteInputTokens).toBe(0);
    }
  });

  it("the minimum exactly reached caches", () => {
    const { send } = setup();
    expect(
      send({ system: [{ text: "x", tokens: 1024, checkpoint: true }] }).usage.cacheWriteInputTokens,
    ).toBe(1024);
  });

  it("lookback: an entry 19 blocks back is read, 20 blocks back is not (Claude's 20-block window)", () => {
    const history = (n: number) => Array.from({ length: n }, (_, i) => ({ text: `r${i}`, tokens: 10 }));
    for (const [extra, hit] of [
      [19, true],
      [20, false],
    ] as const) {
      const { send } = setup();
      send({ system: [{ text: "s", tokens: 5000, checkpoint: true }] });
      const blocks = history(extra);
      blocks[blocks.length - 1] = { ...blocks.at(-1)!, checkpoint: true } as never;
      const r = send({
        system: [{ text: "s", tokens: 5000 }],
        messages: [{ role: "user", content: blocks }],
      });
      expect(r.usage.cacheReadInputTokens, `${extra} blocks later`).toBe(hit ? 5000 : 0);
    }
  });

  it("Nova reads only at the checkpoint itself (no lookback)", () => {
    const { send } = setup();
    send({ system: [{ text: "s", tokens: 5000, checkpoint: true }] }, { model: nova });
    const r = send(
      {
        system: [{ text: "s", tokens: 5000 }],
        messages: [{ role: "user", content: [{ text: "q", tokens: 10, checkpoint: true }] }],
      },
      { model: nova },
    );
    expect(r.usage.cacheReadInputTokens).toBe(0);
  });

  it("Nova caches nothing past its 20K-token maximum", () => {
    const { send } = setup();
    const r = send({ system: [{ text: "s", tokens: 25_000, checkpoint: true }] }, { model: nova });
    expect(r.usage.cacheWriteInputTokens).toBe(0);
  });

  it("accounts, Regions and models never see each other's entries", () => {
    const { send } = setup();
    send(prompt(), { account: "111111111111" });
    expect(send(prompt(), { account: "222222222222" }).usage.cacheReadInputTokens).toBe(0);
    expect(send(prompt(), { account: "111111111111", region: "eu-west-1" }).usage.cacheReadInputTokens).toBe(
      0,
    );
    expect(
      send(prompt(), { model: resolveModel("us.anthropic.claude-opus-4-8") }).usage.cacheReadInputTokens,
    ).toBe(0);
    expect(send(prompt(), { account: "111111111111" }).usage.cacheReadInputTokens).toBe(5000);
  });

  it("parallel first requests both write: an entry is readable only once its writer's response started", () => {
    const { send } = setup();
    const a = send(prompt(), { commit: false });
    const b = send(prompt(), { commit: false });
    expect(a.usage.cacheWriteInputTokens).toBe(5000);
    expect(b.usage.cacheWriteInputTokens).toBe(5000);
    a.commit();
    expect(send(prompt()).usage.cacheReadInputTokens).toBe(5000);
  });

  it("a changed system prompt misses; the shared tools prefix is still read", () => {
    const { send } = setup();
    const spec = (sys: string): LayoutSpec => ({
      tools: [{ text: "tools", tokens: 2000, checkpoint: true }],
      system: [{ text: sys, tokens: 3000, checkpoint: true }],
    });
    send(spec("v1"));
    expect(send(spec("v2")).usage).toMatchObject({ cacheReadInputTokens: 2000, cacheWriteInputTokens: 3000 });
  });

  it("memory is bounded: least recently used entries are evicted beyond the cap, and inspection holds no text", () => {
    const { sim, send } = setup(3);
    for (let i = 0; i < 5; i++) send({ system: [{ text: `tenant ${i}`, tokens: 2000, checkpoint: true }] });
    expect(sim.size).toBe(3);
    expect(sim.evictions).toBe(2);
    expect(
      send({ system: [{ text: "tenant 0", tokens: 2000, checkpoint: true }] }).usage.cacheReadInputTokens,
    ).toBe(0);
    expect(
      send({ system: [{ text: "tenant 4", tokens: 2000, checkpoint: true }] }).usage.cacheReadInputTokens,
    ).toBe(2000);
    const e = sim.entries()[0]!;
    expect(Object.keys(e).sort()).toEqual([
      "accountId",
      "expiresAt",
      "hits",
      "modelId",
      "readable",
      "region",
      "tokens",
      "ttl",
    ]);
  });
});
