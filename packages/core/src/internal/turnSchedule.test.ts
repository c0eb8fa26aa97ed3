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
  it("the threshold comes from the premium, the turn size and the risk (the conversation's mean sizes, the prices)", () => {
    const l = chat([msg("user", 300), msg("assistant", 1000), msg("user", 300)]);
    const d = turnSchedule(l, 0.2, 0.9, prices);
    const premium = prices.cacheWrite["1h"] - prices.cacheWrite["5m"];
    const risk = 0.9 * 0.2 * (prices.cacheWrite["5m"] - prices.cacheRead);
    // θ² = 2 × premium × turn size / risk; the run threshold x solves x × (x + turn size) = θ².
    const theta2 = (2 * premium * 1000 * 1300) / risk;
    expect(d.threshold * (d.threshold + 1300)).toBeCloseTo(theta2, 3);
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

  it("read points come every n turns, the n that makes a turn cheapest on average", () => {
    // Equal turns of an answer a and a question u: brute force the period n minimising the expected cost per turn,
    // P / n + r × (u + s × (n − 1) / 2), and compare it with the turns between the schedule's read points.
    const premiumPerToken = prices.cacheWrite["1h"] - prices.cacheWrite["5m"];
    const perToken = prices.cacheWrite["5m"] - prices.cacheRead;
    let checked = 0;
    for (const [a, u] of [
      [325, 220],
      [800, 60],
      [150, 400],
      [2000, 300],
    ] as const) {
      for (const late of [0.05, 0.135, 0.2, 0.35, 0.6]) {
        const cont = 0.87;
        const r = cont * late * perToken;
        const perTurn = (n: number) => (premiumPerToken * a) / n + r * (u + ((a + u) * (n - 1)) / 2);
        let best = 1;
        for (let n = 2; n <= 60; n++) if (perTurn(n) < perTurn(best) - 1e-9) best = n;
        const messages: Message[] = [msg("user", u)];
        const hedgedAt: number[] = [];
        for (let t = 1; t <= 4 * best + 2; t++) {
          messages.push(msg("assistant", a), msg("user", u));
          if (turnSchedule(chat(messages), late, cont, prices).hedge) hedgedAt.push(t);
        }
        expect(hedgedAt.length).toBeGreaterThanOrEqual(3);
        for (let k = 1; k < hedgedAt.length; k++) expect(hedgedAt[k]! - hedgedAt[k - 1]!).toBe(best);
        checked++;
      }
    }
    expect(checked).toBe(20);
  });
});
