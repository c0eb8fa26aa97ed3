// `pnpm bench` (quick) / `pnpm bench:full`: runs every suite side by side and rewrites BENCHMARKS.md.
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { plannerSuite } from "./suites/planner.js";

const full = process.argv.includes("--full");
const timeMs = full ? 3000 : 600;
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

const planner = await plannerSuite(timeMs);
console.log(planner.summary);

const machine = `${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const doc = `# Benchmarks

Produced by \`pnpm bench${full ? ":full" : ""}\` (apps/bench) on ${new Date().toISOString().slice(0, 10)}; machine: ${machine}.
Timings are medians from one run of [tinybench](https://github.com/tinylibs/tinybench); every table compares its cases with a
baseline measured in the same run, because ratios carry over between machines and absolute microseconds do not.
No timing is asserted in any test.

${planner.markdown}`;
writeFileSync(resolve(root, "BENCHMARKS.md"), doc);
console.log(`\nwrote ${resolve(root, "BENCHMARKS.md")}`);
