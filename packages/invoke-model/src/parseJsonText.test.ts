import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scannerFor } from "./JsonScanner.js";
import { parseJsonBytes } from "./parseJsonBytes.js";
import { bigStringSpans, parseJsonText } from "./parseJsonText.js";

const long = (s: string, n: number) => s.repeat(Math.ceil(n / Math.max(1, s.length))).slice(0, n);

// Long strings of every kind a body can carry: plain, escaped quotes and backslashes, newlines, non-ASCII, and a
// byte-order mark (which only the start of a body given as bytes may lose).
const piece = fc.constantFrom(
  "word ",
  'say "hi" ',
  "back\\\\slash ",
  "line\n",
  "é日本 ",
  "\u2028",
  "😀",
  "\uFEFF",
);
const longString = fc
  .tuple(fc.array(piece, { minLength: 1, maxLength: 4 }), fc.integer({ min: 4000, max: 9000 }))
  .map(([ps, n]) => long(ps.join(""), n));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    longString,
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom("system", "text", "content", "__proto__", "a"), tie("v"), { maxKeys: 4 }),
  ),
})).v;

describe("parseJsonText", () => {
  it("equals JSON.parse on any body, however it is spaced", () => {
    fc.assert(
      fc.property(value, fc.constantFrom(0, 2), longString, (v, indent, head) => {
        // A body long enough for the fast path: a long system prompt, then anything.
        const text = JSON.stringify({ system: long(head, 33_000), v }, null, indent);
        expect(parseJsonText(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: Number(process.env.CACHEPOINT_FUZZ_RUNS ?? 200) },
    );
  });

  it("reads a value it is told to leave out as an empty list, wherever it sits among long strings", () => {
    fc.assert(
      fc.property(
        value,
        value,
        value,
        fc.constantFrom(0, 2),
        longString,
        (before, left, after, indent, head) => {
          const text = JSON.stringify(
            { system: long(head, 9_000), before, messages: [left], after },
            null,
            indent,
          );
          // The left-out value: the messages list, from its "[" to after its "]".
          const at = text.indexOf("[", text.indexOf('"messages":'));
          const end =
            at + JSON.stringify([left], null, indent).replaceAll("\n", `\n${" ".repeat(indent)}`).length;
          expect(text.slice(end).trimStart()[0]).toBe(",");
          expect(parseJsonText(text, [at, end])).toEqual({ ...JSON.parse(text), messages: [] });
        },
      ),
      { numRuns: Number(process.env.CACHEPOINT_FUZZ_RUNS ?? 200) },
    );
  });

  it("finds the long strings a scan of the body records, and parses the same with the scan's places", () => {
    fc.assert(
      fc.property(value, fc.constantFrom(0, 2), longString, (v, indent, head) => {
        const text = JSON.stringify({ system: long(head, 9_000), v }, null, indent);
        const s = scannerFor(text)!;
        s.bigStrings = [];
        s.object(() => s.value()); // member by member: strings skipped on their own and inside values
        const searched = bigStringSpans(text, undefined);
        if (searched !== undefined) expect(s.bigStrings).toEqual(searched);
        expect(parseJsonText(text, undefined, s.bigStrings)).toEqual(JSON.parse(text));
      }),
      { numRuns: Number(process.env.CACHEPOINT_FUZZ_RUNS ?? 200) },
    );
  });

  it("takes long strings from the text without copying, and gives back the same values", () => {
    const system = long("policy ", 400_000);
    const text = JSON.stringify({
      anthropic_version: "x",
      system,
      messages: [{ role: "user", content: "hi" }],
    });
    const parsed = parseJsonText(text) as { system: string };
    expect(parsed.system).toBe(system);
    expect(parsed).toEqual(JSON.parse(text));
  });

  it("throws what JSON.parse throws for invalid bodies", () => {
    const big = long("x", 40_000);
    for (const bad of [`{"a": "${big}", }`, `{"a": "${big}"`, `{"a": "${big}" "b": 1}`, `{"${big}": 1,}`]) {
      expect(() => parseJsonText(bad)).toThrow(SyntaxError);
    }
  });

  it("is not fooled by content that looks like its placeholders", () => {
    const text = JSON.stringify({ a: "\u0000cachepoint:0", b: long("y", 40_000) });
    expect(parseJsonText(text)).toEqual(JSON.parse(text));
  });
});

const enc = new TextEncoder();

describe("parseJsonBytes", () => {
  it("equals JSON.parse of the decoded body, whatever its bytes hold and however it is spaced", () => {
    fc.assert(
      fc.property(value, fc.constantFrom(0, 2), longString, fc.boolean(), (v, indent, head, bom) => {
        const text = JSON.stringify({ system: long(head, 33_000), v }, null, indent);
        const bytes = enc.encode(bom ? `\uFEFF${text}` : text);
        // The same bytes twice: the second read takes its long strings from what the first decoded.
        for (let k = 0; k < 2; k++) expect(parseJsonBytes(bytes)).toEqual(JSON.parse(text));
      }),
      { numRuns: Number(process.env.CACHEPOINT_FUZZ_RUNS ?? 200) },
    );
  });

  it("gives the same string for equal bytes, and never what other bytes of the same length decoded to", () => {
    const body = (w: string) =>
      enc.encode(
        JSON.stringify({ system: long(`${w} `, 100_000), messages: [{ role: "user", content: "hi" }] }),
      );
    const a = parseJsonBytes(body("policy")) as { system: string };
    const again = parseJsonBytes(body("policy")) as { system: string };
    const other = parseJsonBytes(body("refund")) as { system: string };
    expect(again.system).toBe(a.system);
    expect(other.system).toBe(long("refund ", 100_000));
    // The caller reusing its buffer for other content is read as that content.
    const reused = body("policy");
    reused.set(enc.encode("PATCHED"), 20);
    expect((parseJsonBytes(reused) as { system: string }).system).toBe(
      JSON.parse(new TextDecoder().decode(reused)).system,
    );
  });

  it("leaves short, odd and invalid bodies to the caller (undefined)", () => {
    const big = long("x", 40_000);
    expect(parseJsonBytes(enc.encode(JSON.stringify({ a: "short" })))).toBeUndefined();
    for (const bad of [`{"a": "${big}", }`, `{"a": "${big}"`, `{"${big}": 1}`])
      expect(parseJsonBytes(enc.encode(bad))).toBeUndefined();
    const looksLikePlaceholder = JSON.stringify({ a: "\u0000cachepoint:0", b: big });
    expect(parseJsonBytes(enc.encode(looksLikePlaceholder))).toBeUndefined();
  });
});
