#!/usr/bin/env node
// The `cachepoint` command. Exit codes: 0 success, 1 a failed check, 2 bad usage.
import { run } from "./program.js";

// The AWS SDK warns on Node 20 that its 2027 releases will need Node 22; current ones support 20. Noise for a CLI.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// `cachepoint … | head`: the reader went away, which is not an error worth a stack trace. Stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}
const code = await run(process.argv.slice(2));
process.exitCode = code;
