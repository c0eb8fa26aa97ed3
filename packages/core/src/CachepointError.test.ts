import { describe, expect, it } from "vitest";
import { CachepointError, isCachepointError } from "./CachepointError.js";

describe("CachepointError", () => {
  it("keeps its reason, details and cause", () => {
    const cause = new Error("socket hang up");
    const e = new CachepointError("transport", "Bedrock call failed", { cause, details: { attempt: 2 } });
    expect(e.reason).toBe("transport");
    expect(e.cause).toBe(cause);
    expect(e.details).toEqual({ attempt: 2 });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("CachepointError");
  });

  it("isCachepointError recognises an error from another installed copy by its brand", () => {
    const foreign = Object.assign(new Error("x"), {
      reason: "unknown-model",
      [Symbol.for("@cachepoint/error")]: true,
    });
    expect(isCachepointError(foreign)).toBe(true);
    expect(isCachepointError(new Error("x"))).toBe(false);
    expect(isCachepointError(null)).toBe(false);
    expect(isCachepointError({ reason: "unknown-model" })).toBe(false);
  });
});
