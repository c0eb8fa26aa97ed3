import { CachepointError } from "@cachepoint/core";
import type { MockBedrock } from "./MockBedrock.js";

/** Fails at once, with the call to make, when a front end is given something that is not a mock. */
export function requireMock(mock: unknown, where: string): asserts mock is MockBedrock {
  if (typeof (mock as { handle?: unknown } | null | undefined)?.handle !== "function") {
    throw new CachepointError(
      "invalid-option",
      `${where} needs the MockBedrock to serve from; got ${mock === null ? "null" : typeof mock}. Make one first: const mock = new MockBedrock(); ${where.replace("(…)", "(mock)")}.`,
    );
  }
}
