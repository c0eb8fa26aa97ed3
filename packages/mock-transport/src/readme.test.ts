import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(resolve(here, "../README.md"), "utf8");
const example = (name: string) => readFileSync(resolve(here, `../examples/${name}.ts`), "utf8").trim();

describe("README examples run as tests", () => {
  it("are quoted verbatim", () => {
    for (const name of ["inProcess", "msw", "server"]) expect(readme, name).toContain(example(name));
  });

  it("in-process: write, read, expire", async () => {
    const ex = await import("../examples/inProcess.js");
    expect(ex.usage[0]!.written).toBeGreaterThan(1024);
    expect(ex.usage[1]).toEqual({ read: ex.usage[0]!.written, written: 0 });
    expect(ex.usage[2]).toEqual({ read: 0, written: ex.usage[0]!.written });
  });

  it("msw: intercepted with NodeHttpHandler, Region from the signature", async () => {
    const ex = await import("../examples/msw.js");
    expect(ex.written).toBeGreaterThan(1024);
    expect(ex.region).toBe("eu-west-1");
  });

  it("server: a 1h entry read after 30 minutes, inspected over HTTP", async () => {
    const ex = await import("../examples/server.js");
    expect(ex.readAfter30Minutes).toBeGreaterThan(4096);
    expect(ex.entries).toHaveLength(1);
    expect(ex.entries[0]).toMatchObject({ ttl: "1h", accountId: "111111111111" });
  });
});
