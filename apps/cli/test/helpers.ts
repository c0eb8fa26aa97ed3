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
  options: {
    input?: string;
    env?: Record<string, string | undefined>;
    cwd?: string;
    /** Close the reading end of stdout at once, as `| head` does when it has read enough. */
    closeStdout?: boolean;
  } = {},
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
    if (options.closeStdout) child.stdout.destroy();
    else child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** Starts `cachepoint mock serve --port 0` as a user would; resolves once its banner is printed. */
export async function startMockServe(): Promise<{
  url: string;
  banner: () => string;
  stop(): Promise<number | null>;
}> {
  const child = spawn(
    process.execPath,
    ["--conditions=@cachepoint/source", "--import", "tsx", bin, "mock", "serve", "--port", "0"],
    { cwd: repo },
  );
  let out = "";
  const url = await new Promise<string>((ok, fail) => {
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && out.includes("admin:")) ok(m[1]!);
    });
    child.on("exit", (code) => fail(new Error(`mock serve exited ${code}: ${out}`)));
    setTimeout(() => fail(new Error(`no endpoint printed: ${out}`)), 15_000).unref();
  });
  return {
    url,
    banner: () => out,
    stop: () =>
      new Promise((ok) => {
        child.removeAllListeners("exit");
        child.on("exit", ok);
        child.kill("SIGTERM");
      }),
  };
}
