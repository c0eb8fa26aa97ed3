import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentFingerprintBytes, fingerprintBytes } from "../fingerprint.js";
import { BytesMemo } from "./BytesMemo.js";

describe("BytesMemo", () => {
  it("finds equal content in a new array, and never other content that shares length and samples", () => {
    const memo = new BytesMemo<string>(16, 1 << 20);
    const a = new Uint8Array(10_000).fill(7);
    memo.set(a, "a");
    expect(memo.get(a.slice())).toBe("a");
    // Differs only between the sampled positions: same key, other content.
    const b = a.slice();
    b[1] = 8;
    expect(memo.get(b)).toBeUndefined();
    // The owner changing its array after set does not change what the memo holds.
    a[1] = 9;
    expect(memo.get(a)).toBeUndefined();
  });

  it("holds at most its bounds: old entries go, arrays over half the byte bound are not kept", () => {
    const memo = new BytesMemo<number>(4, 100_000);
    const arrays = Array.from({ length: 10 }, (_, i) => new Uint8Array(5_000).fill(i));
    for (const [i, x] of arrays.entries()) memo.set(x, i);
    expect(memo.get(arrays[0]!)).toBeUndefined();
    expect(memo.get(arrays[9]!)).toBe(9);
    const huge = new Uint8Array(60_000);
    memo.set(huge, 1);
    expect(memo.get(huge)).toBeUndefined();
  });
});

describe("contentFingerprintBytes", () => {
  it("equals fingerprintBytes for any bytes, any view of them, and bytes changed in place after a call", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 9_000 }),
        fc.nat(),
        fc.constantFrom("u8", "dataview", "u16"),
        (bytes, at, view) => {
          const v =
            view === "dataview"
              ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
              : view === "u16" && bytes.byteLength % 2 === 0
                ? new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2)
                : bytes;
          expect(contentFingerprintBytes(v)).toBe(fingerprintBytes(bytes));
          if (bytes.length === 0) return;
          const k = at % bytes.length;
          bytes[k] = bytes[k]! ^ 1;
          expect(contentFingerprintBytes(v)).toBe(fingerprintBytes(bytes));
        },
      ),
      { numRuns: Number(process.env.CACHEPOINT_FUZZ_RUNS ?? 200) },
    );
  });
});
