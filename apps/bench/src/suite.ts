// One suite in a process of its own: `node --expose-gc --import tsx src/suite.ts <name> <result.json> [--full]`.
// run.ts starts one per suite, so no suite's heap, memos or JIT state weighs on another's timings.
import { writeFileSync } from "node:fs";
import { overheadSuite } from "./suites/overhead.js";
import { plannerSuite } from "./suites/planner.js";
import { chatAcrossSeeds, measureSavings, savingsMarkdown } from "./suites/savings.js";
import { serverSuite } from "./suites/server.js";
import { simulatorSuite } from "./suites/simulator.js";

export type SuiteName = "savings" | "planner" | "overhead" | "simulator" | "server";
export interface SuiteResult {
  markdown: string;
  summary: string;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

async function runSuite(name: SuiteName, full: boolean): Promise<SuiteResult> {
  const timeMs = full ? 3000 : 600;
  switch (name) {
    case "savings":
      return savingsMarkdown(measureSavings(), chatAcrossSeeds());
    case "planner":
      return plannerSuite(timeMs);
    case "overhead":
      return overheadSuite(timeMs * 2);
    case "simulator":
      return simulatorSuite(full ? 1_000_000 : 200_000);
    case "server":
      return serverSuite(full);
  }
}

const [name, out] = process.argv.slice(2);
if (!name || !out)
  throw new Error("usage: suite.ts <savings|planner|overhead|simulator|server> <result.json> [--full]");
writeFileSync(out, JSON.stringify(await runSuite(name as SuiteName, process.argv.includes("--full"))));
