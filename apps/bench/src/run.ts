// `pnpm bench` (quick, under 3 minutes) / `pnpm bench:full`: runs every suite and rewrites BENCHMARKS.md.
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { overheadSuite } from "./suites/overhead.js";
import { plannerSuite } from "./suites/planner.js";
import { chatAcrossSeeds, measureSavings, savingsMarkdown } from "./suites/savings.js";
import { serverSuite } from "./suites/server.js";
import { simulatorSuite } from "./suites/simulator.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const full = process.argv.includes("--full");
const timeMs = full ? 3000 : 600;
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const started = Date.now();
const step = (name: string) => console.log(`\n[${((Date.now() - started) / 1000).toFixed(0)}s] ${name}`);

step("savings");
const savings = savingsMarkdown(measureSavings(), chatAcrossSeeds());
console.log(savings.summary);
step("planner");
const planner = await plannerSuite(timeMs);
console.log(planner.summary);
step("overhead");
const overhead = await overheadSuite(timeMs * 2);
console.log(overhead.summary);
step("simulator");
const simulator = simulatorSuite(full ? 1_000_000 : 200_000);
console.log(simulator.summary);
step("server");
const server = await serverSuite(full);
console.log(server.summary);

const machine = `${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const doc = `# Benchmarks

Produced by \`pnpm bench${full ? ":full" : ""}\` (apps/bench) on ${new Date().toISOString().slice(0, 10)}; machine: ${machine}; ${((Date.now() - started) / 1000).toFixed(0)} s in all.
\`pnpm bench\` is the quick run (under 3 minutes); \`pnpm bench:full\` runs longer timings, a 1,000,000-request
simulator replay and a longer server load. Both build first and measure the built packages (\`tsc\` output, what users
install): run from TypeScript source under tsx, cachepoint's own code is about 2.6× slower, because esbuild's
keepNames wraps every function it defines. Timings are compared with a baseline measured in the same run, because
ratios carry over between machines and absolute microseconds do not. No timing is asserted in any test.

${savings.markdown}
${overhead.markdown}
${planner.markdown}
${simulator.markdown}
${server.markdown}`;
writeFileSync(resolve(root, "BENCHMARKS.md"), doc);
console.log(`\nwrote ${resolve(root, "BENCHMARKS.md")} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
