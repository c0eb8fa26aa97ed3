import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const bin = resolve(repo, "apps/cli/src/bin.ts");

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a user would: a real process, real argv, optional stdin, a clean AWS environment. */
export function cli(
  args: string[],
  options: { input?: string; env?: Record<string, string | undefined>; cwd?: string } = {},
): Promise<Ran> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith("AWS_") && k !== "DISABLE_PROMPT_CACHING" && k !== "CLAUDE_CODE_USE_BEDROCK",
    ),
  );
  Object.assign(
    env,
    { AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent", NO_COLOR: "1" },
    options.env,
  );
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=@cachepoint/source", "--import", "tsx", bin, ...args],
      { cwd: options.cwd ?? repo, env },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
