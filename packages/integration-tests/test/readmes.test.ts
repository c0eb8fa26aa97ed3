import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The adapters' README examples use the mock, which depends on the adapters; they live here so the package
// graph has no cycle, and each README quotes its example verbatim.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const quoted = (pkg: string, example: string) => {
  const readme = readFileSync(resolve(root, pkg, "README.md"), "utf8");
  return readme.includes(readFileSync(resolve(root, "integration-tests/examples", example), "utf8").trim());
};

describe("@cachepoint/converse README example", () => {
  it("is quoted verbatim", () => expect(quoted("converse", "converse-plugin.ts")).toBe(true));
  it("runs: a write, then a read that saves money; Nova gets no tool checkpoint", async () => {
    const ex = await import("../examples/converse-plugin.js");
    expect(ex.perCall[0]!.written).toBeGreaterThan(1024);
    expect(ex.perCall[1]!.read).toBeGreaterThan(1024);
    expect(ex.perCall[1]!.savedUsd).toBeGreaterThan(0);
    expect(ex.novaSystem?.at(-1)).toEqual({ cachePoint: { type: "default" } });
    expect(ex.novaCheckpointSections).not.toContain("tools");
  });
});

describe("@cachepoint/invoke-model README example", () => {
  it("is quoted verbatim", () => expect(quoted("invoke-model", "invoke-model-plugin.ts")).toBe(true));
  it("runs: a 1h checkpoint for sparse traffic, and the legacy body explained", async () => {
    const ex = await import("../examples/invoke-model-plugin.js");
    expect(ex.ttls).toEqual(["1h"]);
    expect(ex.written1h).toBeGreaterThan(1024);
    expect(ex.legacyAdvice).toMatch(/Prompt caching needs the Messages API/);
  });
});
