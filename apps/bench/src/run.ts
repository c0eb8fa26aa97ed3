// `pnpm bench` (quick, under 3 minutes) / `pnpm bench:full`: runs every suite and rewrites BENCHMARKS.md.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SuiteName, SuiteResult } from "./suite.js";

const full = process.argv.includes("--full");
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const started = Date.now();
const scratch = mkdtempSync(join(tmpdir(), "cachepoint-bench-"));

/** Runs one suite in a fresh process (same Node flags as this one) and returns what it wrote. */
function suite(name: SuiteName): SuiteResult {
  console.log(`\n[${((Date.now() - started) / 1000).toFixed(0)}s] ${name}`);
  const out = join(scratch, `${name}.json`);
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, join(here, "suite.ts"), name, out, ...(full ? ["--full"] : [])],
    { stdio: "inherit" },
  );
  if (r.status !== 0) throw new Error(`the ${name} suite failed (exit ${r.status ?? r.signal})`);
  const result = JSON.parse(readFileSync(out, "utf8")) as SuiteResult;
  console.log(result.summary);
  return result;
}

let savings: SuiteResult;
let planner: SuiteResult;
let overhead: SuiteResult;
let simulator: SuiteResult;
let server: SuiteResult;
try {
  savings = suite("savings");
  planner = suite("planner");
  overhead = suite("overhead");
  simulator = suite("simulator");
  server = suite("server");
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const machine = `${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const doc = `# Benchmarks

Produced by \`pnpm bench${full ? ":full" : ""}\` (apps/bench) on ${new Date().toISOString().slice(0, 10)}; machine: ${machine}; ${((Date.now() - started) / 1000).toFixed(0)} s in all.
\`pnpm bench\` is the quick run (under 3 minutes); \`pnpm bench:full\` runs longer timings, a 1,000,000-request
simulator replay and a longer server load. Both build first and measure the built packages (\`tsc\` output, what users
install): run from TypeScript source under tsx, cachepoint's own code is about 2.6× slower, because esbuild's
keepNames wraps every function it defines. Each suite runs in a process of its own, so no suite's heap, memos or
JIT state weighs on another's timings. Timings are compared with a baseline measured in the same run, because
ratios carry over between machines and absolute microseconds do not. No timing is asserted in any test.

${savings.markdown}
${overhead.markdown}
${planner.markdown}
${simulator.markdown}
${server.markdown}`;
writeFileSync(resolve(root, "BENCHMARKS.md"), doc);
console.log(`\nwrote ${resolve(root, "BENCHMARKS.md")} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
