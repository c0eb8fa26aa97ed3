import { describe, expect, it } from "vitest";
import { buildLayout, type LayoutSpec } from "../buildLayout.js";
import { effectivePrices } from "../pricing.js";
import { resolveModel } from "../resolveModel.js";
import { turnSchedule } from "./turnSchedule.js";

const prices = effectivePrices(resolveModel("us.anthropic.claude-sonnet-4-6"));
type Message = NonNullable<LayoutSpec["messages"]>[number];
const msg = (role: "user" | "assistant", ...tokens: number[]): Message => ({
  role,
  content: tokens.map((t, i) => ({ text: `${role}${i}-${t}`, tokens: t })),
});
const chat = (messages: Message[]) => buildLayout({ system: [{ text: "s", tokens: 6000 }], messages });

describe("turnSchedule: where a conversation's 1h read points go", () => {
  it("the threshold is √(2 × premium × turn size / risk), from the conversation's mean sizes and the prices", () => {
    const l = chat([msg("user", 300), msg("assistant", 1000), msg("user", 300)]);
    const d = turnSchedule(l, 0.2, 0.9, prices);
    const premium = prices.cacheWrite["1h"] - prices.cacheWrite["5m"];
    const risk = 0.9 * 0.2 * (prices.cacheWrite["5m"] - prices.cacheRead);
    expect(d.threshold).toBeCloseTo(Math.sqrt((2 * premium * 1000 * 1300) / risk), 6);
    expect(d.run).toBe(1300); // the opening question and the answer since (no read point yet)
    expect(d.hedge).toBe(false);
  });

  it("a message of several blocks counts as one, and two user messages in a row are one turn's input", () => {
    const split = chat([msg("user", 100, 200), msg("assistant", 600, 400), msg("user", 300)]);
    const whole = chat([msg("user", 300), msg("assistant", 1000), msg("user", 300)]);
    expect(turnSchedule(split, 0.2, 0.9, prices)).toEqual(turnSchedule(whole, 0.2, 0.9, prices));
    const doubled = chat([msg("user", 300), msg("assistant", 1000), msg("user", 100), msg("user", 200)]);
    const d = turnSchedule(doubled, 0.2, 0.9, prices);
    expect(d.hedge).toBe(false); // the newest message does not follow an answer: no turn to protect here
    expect(d.tailRun).toBe(1600);
  });

  it("never hedges when no turn comes back late or the conversation never continues", () => {
    const long = chat(
      Array.from({ length: 30 }, (_, i) => msg(i % 2 ? "assistant" : "user", 2000)).concat(msg("user", 10)),
    );
    expect(turnSchedule(long, 0, 0.9, prices).hedge).toBe(false);
    expect(turnSchedule(long, 0.3, 0, prices).hedge).toBe(false);
    expect(turnSchedule(long, 0, 0.9, prices).tailRun).toBe(30 * 2000 + 10);
  });

  it("what a late turn would rewrite never exceeds the threshold by more than one turn", () => {
    const messages: Message[] = [msg("user", 250)];
    for (let t = 0; t < 40; t++) {
      messages.push(msg("assistant", 200 + ((t * 97) % 600)), msg("user", 50 + ((t * 31) % 300)));
      const d = turnSchedule(chat(messages), 0.2, 0.87, prices);
      // The run grows by at most one answer and one question (< 1,150 tokens here) past the threshold.
      expect(d.run).toBeLessThan(d.threshold + 1150);
      // After a read point, only the newest question is at risk.
      if (d.hedge) expect(d.tailRun).toBe(50 + ((t * 31) % 300));
    }
  });
});
