import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fingerprint, fingerprintBytes } from "./fingerprint.js";

/** The original formatting (`>>> 0` then `toString(16)`), kept here as the reference for the table-based one. */
function reference(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, "0") + (h1 >>> 0).toString(16).padStart(8, "0");
}

describe("fingerprint", () => {
  it("is 16 lowercase hex characters, equal to the reference formatting for any text and seed", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.integer(), (text, seed) => {
        const f = fingerprint(text, seed);
        expect(f).toMatch(/^[0-9a-f]{16}$/);
        expect(f).toBe(reference(text, seed));
      }),
      { numRuns: 2000 },
    );
  });

  it("tells different prompts apart and gives equal prompts equal fingerprints", () => {
    expect(fingerprint("You are a helpful assistant.")).not.toBe(fingerprint("You are a helpful assistant!"));
    expect(fingerprint("a".repeat(10_000))).toBe(fingerprint("a".repeat(5_000) + "a".repeat(5_000)));
  });
  it("fingerprintBytes mixes bytes as fingerprint mixes characters: equal for ASCII, any view of the same bytes", () => {
    const text = "The system prompt, as bytes.";
    const bytes = new TextEncoder().encode(text);
    expect(fingerprintBytes(bytes)).toBe(fingerprint(text));
    const padded = new Uint8Array(bytes.length + 8);
    padded.set(bytes, 4);
    expect(fingerprintBytes(new DataView(padded.buffer, 4, bytes.length))).toBe(fingerprint(text));
    expect(fingerprintBytes(bytes.subarray(1))).not.toBe(fingerprint(text));
  });
});
