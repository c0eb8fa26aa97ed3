import { describe, expect, it } from "vitest";
import { buildLayout, type LayoutSpec } from "./buildLayout.js";
import { explainMiss } from "./explainMiss.js";
import { resolveModel } from "./resolveModel.js";

const model = resolveModel("us.anthropic.claude-sonnet-4-6");
const system = "You are a support agent for Example Corp. ".repeat(300);
const base = (over: Partial<LayoutSpec> = {}): LayoutSpec => ({
  tools: [{ text: "get_order(id): looks an order up", checkpoint: true }],
  system: [{ text: system, checkpoint: true }],
  messages: [{ role: "user", content: [{ text: "Where is my order?", checkpoint: true }] }],
  ...over,
});
const explain = (a: LayoutSpec, b: LayoutSpec, o: Parameters<typeof explainMiss>[2] = {}) =>
  explainMiss(buildLayout(a), buildLayout(b), { model, ...o });

describe("explainMiss", () => {
  it("identical requests: a full hit", () => {
    const r = explain(base(), base());
    expect(r.hit).toBe(true);
    expect(r.readableTokens).toBe(r.cacheableTokens);
  });

  it("a timestamp in the system prompt: system-changed at system/0", () => {
    const r = explain(
      base(),
      base({ system: [{ text: `${system} Today is 2026-11-22T10:00:01Z.`, checkpoint: true }] }),
    );
    expect(r.hit).toBe(false);
    expect(r.reason).toBe("system-changed");
    expect(r.firstDifference?.path).toBe("system/0");
    expect(r.message).toMatch(/timestamp/);
  });

  it("two requests whose system prompts differ only in the time: both values named, and where to move them", () => {
    const at = (t: string) =>
      base({ system: [{ text: `Now: 2026-11-22T${t}Z. ${system}`, checkpoint: true }] });
    const r = explain(at("10:00:01"), at("10:00:09"));
    expect(r.reason).toBe("system-changed");
    expect(r.message).toMatch(
      /system prompt at system\/0 differs only in a value that changes per request \("2026-11-22T10:00:01Z", then "2026-11-22T10:00:09Z"\).*into the user message/,
    );
    // Another change beside the time: the general message, not a claim that only the time moved.
    const other = explain(
      at("10:00:01"),
      base({ system: [{ text: `Now: 2026-11-22T10:00:09Z. ${system}!`, checkpoint: true }] }),
    );
    expect(other.message).not.toMatch(/differs only/);
  });

  it("reordered tools: tools-changed", () => {
    const r = explain(
      base({ tools: [{ text: "a" }, { text: "b", checkpoint: true }] }),
      base({ tools: [{ text: "b" }, { text: "a", checkpoint: true }] }),
    );
    expect(r.reason).toBe("tools-changed");
    expect(r.firstDifference?.section).toBe("tools");
  });

  it("a new question after the same system prompt: partial hit, content-changed", () => {
    const r = explain(
      base(),
      base({ messages: [{ role: "user", content: [{ text: "Cancel my order", checkpoint: true }] }] }),
    );
    expect(r.hit).toBe(false);
    expect(r.reason).toBe("content-changed");
    expect(r.readableTokens).toBeGreaterThan(1000);
    expect(r.message).toMatch(/Partial hit/);
  });

  it("tool_choice changed: settings-changed invalidates the messages cache", () => {
    const r = explain(
      { ...base(), settings: { toolChoice: "auto" } },
      { ...base(), settings: { toolChoice: "any" } },
    );
    expect(r.reason).toBe("settings-changed");
    expect(r.readableTokens).toBeGreaterThan(0);
  });

  it("the previous turn's entry is more than 20 blocks back: beyond-lookback", () => {
    const history = Array.from({ length: 30 }, (_, i) => ({ text: `tool result ${i}`, tokens: 10 }));
    const a: LayoutSpec = {
      system: [{ text: system }],
      messages: [{ role: "user", content: [{ text: "go", checkpoint: true }] }],
    };
    const b: LayoutSpec = {
      system: [{ text: system }],
      messages: [
        { role: "user", content: [{ text: "go" }] },
        { role: "assistant", content: [{ text: "calling tools" }] },
        { role: "user", content: [...history.slice(0, -1), { ...history.at(-1)!, checkpoint: true }] },
      ],
    };
    const r = explain(a, b);
    expect(r.reason).toBe("beyond-lookback");
    expect(r.message).toMatch(/20 blocks/);
  });

  it("below-minimum, TTL expiry, other model, other account, other Region", () => {
    const small: LayoutSpec = { system: [{ text: "short", checkpoint: true }] };
    expect(explain(small, small).reason).toBe("below-minimum");
    expect(explain(base(), base(), { previous: { sentAt: 0 }, next: { sentAt: 6 * 60_000 } }).reason).toBe(
      "ttl-expired",
    );
    expect(explain(base(), base(), { previous: { sentAt: 0 }, next: { sentAt: 4 * 60_000 } }).hit).toBe(true);
    expect(
      explain(base(), base(), {
        previous: { modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0" },
        next: { modelId: "us.anthropic.claude-sonnet-4-6" },
      }).reason,
    ).toBe("different-model");
    expect(
      explain(base(), base(), {
        previous: { accountId: "111111111111" },
        next: { accountId: "222222222222" },
      }).reason,
    ).toBe("different-account");
    expect(
      explain(base(), base(), { previous: { region: "us-east-1" }, next: { region: "us-west-2" } }).reason,
    ).toBe("different-region");
    expect(
      explain(base(), {
        ...base(),
        messages: [{ role: "user", content: "hi" }],
        system: [{ text: system }],
        tools: [{ text: "x" }],
      }).reason,
    ).toBe("no-checkpoint");
  });

  it("a 1h entry survives where a 5m one expired", () => {
    const oneHour = base({
      system: [{ text: system, checkpoint: "1h" }],
      tools: [{ text: "t", checkpoint: "1h" }],
    });
    const r = explain(oneHour, oneHour, { previous: { sentAt: 0 }, next: { sentAt: 30 * 60_000 } });
    expect(r.readableTokens).toBeGreaterThan(1000);
  });
});
