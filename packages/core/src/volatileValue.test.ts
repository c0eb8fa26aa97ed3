import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildLayout } from "./buildLayout.js";
import { describeContent } from "./describeContent.js";
import { planCheckpoints } from "./planCheckpoints.js";
import { prefixKeys, steadyPrefixKeys } from "./prefixKeys.js";
import { resolveModel } from "./resolveModel.js";
import { createEstimator } from "./TokenCounter.js";
import { volatileValue, withoutVolatile } from "./volatileValue.js";

describe("volatileValue", () => {
  it("finds the current time as programs write it, and request IDs", () => {
    const found = (s: string) => volatileValue(s)?.value;
    expect(found("Current time: 2026-12-07T14:51:23.123Z. Be brief.")).toBe("2026-12-07T14:51:23.123Z");
    expect(found("Now: 2026-12-07 14:51+01:00")).toBe("2026-12-07 14:51+01:00");
    expect(found(`It is ${new Date(Date.UTC(2026, 11, 7, 14, 51, 23)).toString()}.`)).toMatch(/^\d\d:51:23$/);
    expect(found("Local time 12/7/2026, 2:51:23 PM.")).toBe("2:51:23 PM");
    expect(found("Session 3f2b8c1e-9a4d-4e2b-8f3a-1c2d3e4f5a6b: greet the user.")).toBe(
      "3f2b8c1e-9a4d-4e2b-8f3a-1c2d3e4f5a6b",
    );
    expect(volatileValue("id 3F2B8C1E-9A4D-4E2B-8F3A-1C2D3E4F5A6B")?.kind).toBe("id");
    expect(volatileValue("at 14:51:23")?.kind).toBe("time");
  });

  it("leaves alone what changes rarely or is not a time: a date, hh:mm, ratios, labels, long numbers, hex words", () => {
    for (const s of [
      "Today is 2026-12-07.",
      "The office opens at 09:00 and closes at 17:30.",
      "Aspect 16:9, verse John 3:16, score 2:1.",
      "Rules: be brief. Tone: warm.",
      "Order 12345:67:89 shipped.",
      "Build x3f2b8c1e-9a4d-4e2b-8f3a-1c2d3e4f5a6b and 3f2b8c1e-9a4d-4e2b-8f3a-1c2d3e4f5a6bz.",
      "well-known, state-of-the-art, deadbeef-cafe",
    ])
      expect(volatileValue(s), s).toBeUndefined();
  });

  it("finds an ISO timestamp wherever it stands in any text, and nothing in text without ':' or '-'", () => {
    const noSeparators = fc.string({ unit: fc.constantFrom(..."ab 19Z.T\n,é") });
    fc.assert(
      fc.property(noSeparators, noSeparators, (before, after) => {
        expect(volatileValue(before + after)).toBeUndefined();
        const text = `${before} 2026-12-07T14:51:23Z ${after}`;
        expect(volatileValue(text)?.value).toBe("2026-12-07T14:51:23Z");
      }),
    );
  });

  it("finds the same times as a plain regular expression of its rules, on any mix of digits, colons and dashes", () => {
    // The rules as one regex: an ISO date and time, or a time with seconds not inside a longer number or word.
    const rule = /\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?!\d)|(?<![A-Za-z0-9_:])\d{1,2}:\d{2}:\d{2}(?!\d)/;
    const whole =
      /(?:\d{4}-\d{2}-\d{2}[T ])?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}| ?[AaPp][Mm])?/y;
    const expected = (s: string) => {
      const m = rule.exec(s);
      if (!m) return undefined;
      whole.lastIndex = m.index;
      return whole.exec(s)?.[0];
    };
    const text = fc.string({ unit: fc.constantFrom(..."0123456789::--T Zx."), maxLength: 40 });
    fc.assert(
      fc.property(text, (s) => {
        const v = volatileValue(s);
        expect(v?.kind === "time" ? v.value : undefined, JSON.stringify(s)).toBe(expected(s));
      }),
      { numRuns: Math.max(300, Number(process.env.CACHEPOINT_FUZZ_RUNS ?? 0)) },
    );
  });

  it("is remembered with the content's count and fingerprint, for strings short and long", () => {
    const counter = createEstimator();
    const long = `Current time: 14:51:23. ${"policy ".repeat(100)}`;
    expect(describeContent(long, counter).volatile).toBeUndefined(); // not asked for: not searched
    expect(describeContent(long, counter, true).volatile?.value).toBe("14:51:23");
    expect(describeContent(long, counter, true).volatile?.value).toBe("14:51:23");
    expect(describeContent("policy ".repeat(100), counter, true).volatile).toBeNull();
    expect(describeContent("at 14:51:23", counter, true).volatile?.value).toBe("14:51:23");
  });
});

describe("what stays the same without the per-request values", () => {
  it("takes out every time and ID, and leaves text without them as it is", () => {
    const text =
      "At 14:51:23, then 2026-12-07T14:52:01Z, session 3f2b8c1e-9a4d-4e2b-8f3a-1c2d3e4f5a6b, 09:00.";
    expect(withoutVolatile(text)).toBe("At \u0000, then \u0000, session \u0000, 09:00.");
    const plain = "Opens at 09:00. Today is 2026-12-07.";
    expect(withoutVolatile(plain)).toBe(plain);
  });

  it("keys two requests that differ only in the time alike for the advisor, and apart for the cache", () => {
    const at = (t: string) =>
      buildLayout({
        tools: [{ text: "lookup tool ".repeat(50) }],
        system: [`Now: 2026-12-07T${t}Z. ${"policy ".repeat(500)}`],
        messages: [{ role: "user", content: ["hi"] }],
      });
    const a = at("14:51:23");
    const b = at("14:52:01");
    const [ka, kb] = [prefixKeys(a), prefixKeys(b)];
    expect(ka[0]).toBe(kb[0]); // the tools are the same
    expect(ka[1]).not.toBe(kb[1]);
    expect(steadyPrefixKeys(a, ka)).toEqual(steadyPrefixKeys(b, kb));
    expect(steadyPrefixKeys(a, ka)[0]).toBe(ka[0]);
    const plain = buildLayout({
      system: ["policy ".repeat(500)],
      messages: [{ role: "user", content: ["hi"] }],
    });
    const kp = prefixKeys(plain);
    expect(steadyPrefixKeys(plain, kp)).toBe(kp);
  });
});

describe("the planner on a prefix with a per-request value", () => {
  const sonnet = resolveModel("us.anthropic.claude-sonnet-4-6");
  const policy = "Follow the refund policy exactly. ".repeat(300);

  it("warns when a checkpoint caches a system block with the time in it, and says where and what to do", () => {
    const plan = planCheckpoints(
      buildLayout({
        system: [`Current time: 2026-12-07T14:51:23Z. ${policy}`],
        messages: [{ role: "user", content: ["hello"] }],
      }),
      sonnet,
    );
    const d = plan.diagnostics.find((x) => x.code === "volatile-prefix");
    expect(d).toMatchObject({ severity: "warning", path: "system/0" });
    expect(d?.message).toMatch(/"2026-12-07T14:51:23Z", which looks like the current time/);
    expect(d?.message).toMatch(/into the user message/);
  });

  it("says nothing when the value is in the messages, or nothing is cached, or the prefix is stable", () => {
    const inMessage = planCheckpoints(
      buildLayout({
        system: [policy],
        messages: [{ role: "user", content: ["It is 2026-12-07T14:51:23Z. Hello."] }],
      }),
      sonnet,
    );
    const tooSmall = planCheckpoints(
      buildLayout({ system: ["Now: 14:51:23."], messages: [{ role: "user", content: ["hi"] }] }),
      sonnet,
    );
    const stable = planCheckpoints(
      buildLayout({
        system: [`Today is 2026-12-07. ${policy}`],
        messages: [{ role: "user", content: ["hi"] }],
      }),
      sonnet,
    );
    for (const p of [inMessage, tooSmall, stable])
      expect(p.diagnostics.map((x) => x.code)).not.toContain("volatile-prefix");
  });

  it("warns on a caller's own checkpoint under the manual strategy, naming a session ID as such", () => {
    const plan = planCheckpoints(
      buildLayout({
        tools: [{ text: `lookup tool for session 3f2b8c1e-9a4d-4e2b-8f3a-1c2d3e4f5a6b ${policy}` }],
        system: [{ text: policy, checkpoint: true }],
        messages: [{ role: "user", content: ["hi"] }],
      }),
      sonnet,
      { strategy: "manual" },
    );
    const d = plan.diagnostics.find((x) => x.code === "volatile-prefix");
    expect(d?.path).toBe("tools/0");
    expect(d?.message).toMatch(/looks like a request or session ID: .* cached at system\/0/);
  });
});
