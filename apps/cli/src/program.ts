import { readFileSync } from "node:fs";
import type { Ttl } from "@cachepoint/core";
import { Command, CommanderError, Option } from "commander";
import { aliasFlag } from "./lib/cliModels.js";
import { createOut } from "./lib/output.js";
import { parseChoice, parseDuration, parseIntFlag } from "./lib/parse.js";
import { UsageError } from "./lib/UsageError.js";

/** Validates --endpoint-url: an http(s) URL, and only meaningful with --live. */
function endpointFlag(value: string, live: boolean): string {
  if (!live) throw new UsageError("--endpoint-url needs --live (without it the embedded mock is used)");
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UsageError(`--endpoint-url takes a URL such as http://127.0.0.1:4010 (got "${value}")`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new UsageError(`--endpoint-url must be http:// or https:// (got "${value}")`);
  return value;
}

const aliasHelp =
  "another name for a known model, repeatable: an application inference profile or provisioned model ARN=the model ID behind it";

const examples = (lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;

/** Builds the `cachepoint` command tree. Each action resolves when its work is done; errors carry their exit code. */
export function createProgram(): Command {
  const program = new Command("cachepoint")
    .description(
      "Amazon Bedrock prompt caching: track it, plan it, price it, explain misses, replay traces, run the mock.\nOffline by default on the embedded mock; --live talks to real Bedrock with your AWS credentials.",
    )
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      examples([
        "cachepoint track",
        "cachepoint plan request.json --model us.anthropic.claude-sonnet-4-6",
        "cachepoint price --model global.anthropic.claude-sonnet-4-6 --prefix-tokens 20000 --requests-per-minute 0.2",
        "cachepoint mock serve --port 4010",
      ]),
    );

  program
    .command("track")
    .description(
      "N identical requests with a cached system prompt: latency, tokens and cost per request, and the cache speed ROI",
    )
    .option("--requests <n>", "how many requests", "10")
    .option("--system-tokens <n>", "size of the generated system prompt, in tokens", "5000")
    .option("--system-file <path>", "use this file as the system prompt instead")
    .option("--model <id>", "model ID (any Bedrock form)", "us.anthropic.claude-sonnet-4-6")
    .option("--alias <id=model-id>", aliasHelp, aliasFlag)
    .addOption(
      new Option("--api <api>", "which API").choices(["converse", "invoke-model"]).default("converse"),
    )
    .addOption(new Option("--ttl <ttl>", "cache TTL").choices(["5m", "1h"]))
    .option(
      "--interval <duration>",
      "time between requests (on the mock the clock moves; nothing sleeps)",
      "0s",
    )
    .option("--region <region>", "AWS Region (live) or the mock's Region")
    .option("--live", "send the requests to real Bedrock (costs money)")
    .option("--endpoint-url <url>", "with --live: another endpoint, e.g. `cachepoint mock serve`")
    .option("--json", "print one JSON document and nothing else")
    .option("--report <file.html>", "write a self-contained HTML report with charts")
    .addHelpText(
      "after",
      examples([
        "cachepoint track",
        "cachepoint track --requests 5 --interval 6m      # watch the 5-minute entry expire",
        "cachepoint track --ttl 1h --interval 20m --requests 4",
        "cachepoint track --api invoke-model --model us.amazon.nova-pro-v1:0 --json",
        "cachepoint track --live --model us.anthropic.claude-haiku-4-5-20251001-v1:0 --system-tokens 6000",
      ]),
    )
    .action(async (o) => {
      const { track } = await import("./commands/track.js");
      let systemText: string | undefined;
      if (o.systemFile) {
        try {
          systemText = readFileSync(o.systemFile, "utf8");
        } catch (e) {
          throw new UsageError(
            `--system-file: cannot read ${o.systemFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
          );
        }
        if (systemText.trim() === "") throw new UsageError(`--system-file: ${o.systemFile} is empty`);
      }
      await track(
        {
          requests: parseIntFlag("--requests", o.requests, 1, 10_000),
          systemTokens: parseIntFlag("--system-tokens", o.systemTokens, 1, 2_000_000),
          ...(systemText !== undefined && { systemText }),
          model: o.model,
          api: o.api,
          ...(o.ttl && { ttl: o.ttl as Ttl }),
          intervalMs: parseDuration("--interval", o.interval),
          live: Boolean(o.live),
          ...(o.region && { region: o.region }),
          ...(o.alias && { aliases: o.alias }),
          ...(o.report && { report: o.report }),
          ...(o.endpointUrl && { endpointUrl: endpointFlag(o.endpointUrl, Boolean(o.live)) }),
        },
        createOut(Boolean(o.json)),
      );
    });

  program
    .command("plan")
    .description(
      "Where checkpoints go in a request (Converse input or InvokeModel body), why, what Bedrock would reject, and the cost",
    )
    .argument("[file]", "JSON file, or - for stdin")
    .option("--model <id>", "model ID (optional when the file has a modelId)")
    .option("--alias <id=model-id>", aliasHelp, aliasFlag)
    .addOption(
      new Option("--strategy <strategy>", "planning strategy")
        .choices(["auto", "static-prefix", "conversation", "manual"])
        .default("auto"),
    )
    .addOption(new Option("--ttl <ttl>", "force a TTL on planned checkpoints").choices(["5m", "1h"]))
    .option("--apply", "print the request with the checkpoints written in")
    .option("--json", "print one JSON document and nothing else")
    .addHelpText(
      "after",
      examples([
        "cachepoint plan converse-request.json --model us.anthropic.claude-sonnet-4-6",
        "cachepoint plan body.json --model us.amazon.nova-pro-v1:0 --apply",
        "cat request.json | cachepoint plan - --json",
        "cachepoint plan payload.json --model us.anthropic.claude-3-7-sonnet-20250219-v1:0   # the legacy seed payload",
      ]),
    )
    .action(async (file, o) => {
      const { plan } = await import("./commands/plan.js");
      await plan(
        {
          file,
          model: o.model,
          strategy: o.strategy,
          ttl: o.ttl,
          apply: Boolean(o.apply),
          ...(o.alias && { aliases: o.alias }),
        },
        createOut(Boolean(o.json)),
      );
    });

  program
    .command("price")
    .description(
      "Break-even reads, savings per TTL window, expected savings for a request rate, and 5m vs 1h, for a model and prefix size",
    )
    .requiredOption("--model <id>", "model ID (the ID form selects the price: global., us., bare, us-gov.)")
    .option("--prefix-tokens <n>", "tokens in the cached prefix", "10000")
    .option("--requests-per-minute <rate>", "requests sharing the prefix per minute", "1")
    .option("--region <region>", "the Region you call from (us-gov-* selects GovCloud prices)")
    .option("--alias <id=model-id>", aliasHelp, aliasFlag)
    .option("--json", "print one JSON document and nothing else")
    .addHelpText(
      "after",
      examples([
        "cachepoint price --model global.anthropic.claude-sonnet-4-6 --prefix-tokens 20000",
        "cachepoint price --model us.amazon.nova-pro-v1:0 --requests-per-minute 0.05 --json",
      ]),
    )
    .action(async (o) => {
      const { price } = await import("./commands/price.js");
      await price({ ...o, ...(o.alias && { aliases: o.alias }) }, createOut(Boolean(o.json)));
    });

  program
    .command("diff")
    .description("Why the second request missed the first one's cache")
    .argument("<a>", "first request (JSON file)")
    .argument("<b>", "second request (JSON file)")
    .option("--model <id>", "model ID (optional when the files have a modelId)")
    .option("--alias <id=model-id>", aliasHelp, aliasFlag)
    .option("--elapsed <duration>", "time between the two requests")
    .option("--json", "print one JSON document and nothing else")
    .addHelpText(
      "after",
      examples([
        "cachepoint diff monday.json tuesday.json --model us.anthropic.claude-sonnet-4-6",
        "cachepoint diff a.json b.json --elapsed 7m",
      ]),
    )
    .action(async (a, b, o) => {
      const { diff } = await import("./commands/diff.js");
      await diff(
        {
          a,
          b,
          model: o.model,
          elapsedMs: o.elapsed === undefined ? undefined : parseDuration("--elapsed", o.elapsed),
          ...(o.alias && { aliases: o.alias }),
        },
        createOut(Boolean(o.json)),
      );
    });

  program
    .command("simulate")
    .description(
      "Replay a workload under several strategies through the cache simulator and price each (JSONL trace or Bedrock invocation logs)",
    )
    .argument("<trace>", "a .jsonl trace (see the README) or Bedrock model invocation log records")
    .option(
      "--strategies <list>",
      "comma-separated: none, as-sent, static-prefix, conversation, auto, auto+advisor (auto learning along the replay, as the plugin's advisor does)",
      "none,as-sent,static-prefix,conversation,auto,auto+advisor",
    )
    .option("--alias <id=model-id>", aliasHelp, aliasFlag)
    .option("--json", "print one JSON document and nothing else")
    .option("--report <file.html>", "write a self-contained HTML report with charts")
    .addHelpText(
      "after",
      examples([
        "cachepoint simulate traffic.jsonl",
        "cachepoint simulate invocation-logs.json --strategies none,auto --json",
        "cachepoint simulate traffic.jsonl --report savings.html",
        'cachepoint simulate logs.json --alias "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc=us.anthropic.claude-sonnet-4-6"',
      ]),
    )
    .action(async (trace, o) => {
      const { simulate } = await import("./commands/simulate.js");
      const strategies = String(o.strategies)
        .split(",")
        .map((s: string) =>
          parseChoice("--strategies", s.trim(), [
            "none",
            "as-sent",
            "static-prefix",
            "conversation",
            "auto",
            "auto+advisor",
          ] as const),
        );
      await simulate(
        { trace, strategies, report: o.report, ...(o.alias && { aliases: o.alias }) },
        createOut(Boolean(o.json)),
      );
    });

  const mock = program.command("mock").description("The mock Bedrock Runtime");
  mock
    .command("serve")
    .description(
      "Start the standalone mock (HTTP/1.1 and h2c on one port) and print the endpoint for --endpoint-url",
    )
    .option("--port <port>", "port (0 picks a free one)", "4010")
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .option(
      "--accounts <file>",
      'JSON {"accounts": [{"accountId", "accessKeyId", "secretAccessKey", "bearerTokens"}]}',
    )
    .option("--seed <n>", "seed for fault injection and request IDs", "1")
    .option("--no-verify", "accept any signature from a known access key")
    .option("--alias <id=model-id>", aliasHelp, aliasFlag)
    .addHelpText(
      "after",
      examples(["cachepoint mock serve", "cachepoint mock serve --port 0 --accounts accounts.json"]),
    )
    .action(async (o) => {
      const { mockServe } = await import("./commands/mockServe.js");
      await mockServe({
        port: parseIntFlag("--port", o.port, 0, 65535),
        host: o.host,
        accounts: o.accounts,
        seed: parseIntFlag("--seed", o.seed, 0, 2 ** 31),
        verify: o.verify !== false,
        ...(o.alias && { aliases: o.alias }),
      });
    });

  program
    .command("doctor")
    .description("Check this machine's setup for Bedrock prompt caching, without printing secrets")
    .option("--model <id>", "the model you call", "us.anthropic.claude-sonnet-4-6")
    .option("--alias <id=model-id>", aliasHelp, aliasFlag)
    .option("--region <region>", "AWS Region to check")
    .option("--live", "also send two real requests and show a write, then a read (costs a little)")
    .option("--endpoint-url <url>", "with --live: another endpoint, e.g. `cachepoint mock serve`")
    .option("--json", "print one JSON document and nothing else")
    .addHelpText(
      "after",
      examples(["cachepoint doctor", "cachepoint doctor --model us.amazon.nova-pro-v1:0 --live"]),
    )
    .action(async (o) => {
      const { doctor } = await import("./commands/doctor.js");
      await doctor(
        {
          model: o.model,
          region: o.region,
          live: Boolean(o.live),
          ...(o.endpointUrl && { endpointUrl: endpointFlag(o.endpointUrl, Boolean(o.live)) }),
          ...(o.alias && { aliases: o.alias }),
        },
        createOut(Boolean(o.json)),
      );
    });

  return program;
}

/** Runs the CLI and returns the exit code: 0 success, 1 a failed check, 2 bad usage. */
export async function run(argv: string[]): Promise<number> {
  const program = createProgram();
  const configure = (c: Command) => {
    c.exitOverride();
    c.configureOutput({ writeErr: (s) => process.stderr.write(s) });
    for (const sub of c.commands) configure(sub);
  };
  configure(program);
  try {
    await program.parseAsync(argv, { from: "user" });
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.version" ||
        e.code === "commander.help"
      )
        return 0;
      return 2; // commander already printed what was wrong
    }
    if (e instanceof UsageError) {
      process.stderr.write(`cachepoint: ${e.message}\n`);
      return 2;
    }
    const name = (e as Error)?.name;
    process.stderr.write(`cachepoint: ${(e as Error)?.message ?? String(e)}\n`);
    return name === "CheckFailed" ? 1 : 1;
  }
}
