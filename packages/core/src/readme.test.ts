import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));

describe("README example", () => {
  it("is quoted verbatim from examples/quickstart.ts", () => {
    const readme = readFileSync(resolve(here, "../README.md"), "utf8");
    const example = readFileSync(resolve(here, "../examples/quickstart.ts"), "utf8").trim();
    expect(readme).toContain(example);
  });

  it("runs offline and shows what the README says it shows", async () => {
    const ex = await import("../examples/quickstart.js");
    expect(ex.checkpoints).toEqual(["system/0 5m 2040", "messages/0/content/0 5m 2052"]);
    expect(ex.problems).toEqual([]);
    expect(ex.cost.savedPct).toBeGreaterThan(70);
    expect(ex.why.reason).toBe("system-changed");
    expect(ex.why.firstDifference?.path).toBe("system/0");
  });
});
