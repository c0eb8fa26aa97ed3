import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { converseUsage } from "@cachepoint/converse";
import type { ResolvedModel } from "@cachepoint/core";
import pc from "picocolors";
import { cliModels, resolveCliModel } from "../lib/cliModels.js";
import { liveHint } from "../lib/liveHint.js";
import { int, type Out, printJson } from "../lib/output.js";
import { systemPromptOf } from "../lib/systemPrompt.js";
import { CheckFailed } from "../lib/UsageError.js";

type Status = "ok" | "warn" | "fail" | "info";
interface Check {
  name: string;
  status: Status;
  detail: string;
}

function configRegion(): string | undefined {
  const file = process.env.AWS_CONFIG_FILE ?? join(homedir(), ".aws", "config");
  if (!existsSync(file)) return undefined;
  const profile = process.env.AWS_PROFILE ?? "default";
  let inSection = false;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const s = /^\s*\[\s*(?:profile\s+)?([^\]]+?)\s*\]/.exec(line);
    if (s) inSection = s[1] === profile;
    const r = /^\s*region\s*=\s*(\S+)/.exec(line);
    if (inSection && r) return r[1];
  }
  return undefined;
}

/** Checks a machine's setup without printing any secret value. */
export async function doctor(
  o: {
    model: string;
    region?: string;
    live: boolean;
    endpointUrl?: string;
    aliases?: Record<string, string>;
  },
  out: Out,
): Promise<void> {
  const checks: Check[] = [];
  const env = process.env;
  const [maj = 0, min = 0] = process.versions.node.split(".").map(Number);
  const nodeOk = maj > 20 || (maj === 20 && min >= 19);
  checks.push({
    name: "node",
    // The AWS SDK announced that its releases after the first week of January 2027 need Node 22
    // (aws-sdk-js-v3#7983): cachepoint still runs on 20, but the SDK beside it will stop updating there.
    status: !nodeOk ? "fail" : maj < 22 ? "warn" : "ok",
    detail: `Node ${process.versions.node} (cachepoint needs ≥ 20.19)${
      nodeOk && maj < 22
        ? "; the AWS SDK for JavaScript's releases after the first week of January 2027 need Node ≥ 22 (github.com/aws/aws-sdk-js-v3/issues/7983)"
        : ""
    }`,
  });

  const region = o.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? configRegion();
  checks.push(
    region
      ? {
          name: "region",
          status: "ok",
          detail: `${region} (${o.region ? "--region" : env.AWS_REGION ? "AWS_REGION" : env.AWS_DEFAULT_REGION ? "AWS_DEFAULT_REGION" : "AWS config file"})`,
        }
      : {
          name: "region",
          status: "fail",
          detail: "no Region: set AWS_REGION, or region in ~/.aws/config, or pass --region",
        },
  );

  const sources: string[] = [];
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY)
    sources.push(`environment keys${env.AWS_SESSION_TOKEN ? " with a session token" : ""}`);
  if (env.AWS_PROFILE) sources.push(`profile "${env.AWS_PROFILE}"`);
  if (existsSync(env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), ".aws", "credentials")))
    sources.push("shared credentials file");
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE) sources.push("web identity token");
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI)
    sources.push("container credentials");
  if (env.AWS_BEARER_TOKEN_BEDROCK) sources.push("Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)");
  checks.push(
    sources.length
      ? { name: "credentials", status: "ok", detail: `found: ${sources.join(", ")} (values not shown)` }
      : {
          name: "credentials",
          status: "warn",
          detail:
            "no credentials found in the environment or ~/.aws; on EC2/ECS/Lambda the instance role may still provide them",
        },
  );
  if (env.AWS_BEARER_TOKEN_BEDROCK && env.AWS_ACCESS_KEY_ID) {
    checks.push({
      name: "bearer token",
      status: "warn",
      detail:
        "AWS_BEARER_TOKEN_BEDROCK is set: the JS SDK then uses it instead of your keys, even when credentials are passed explicitly",
    });
  }

  if (
    env.DISABLE_PROMPT_CACHING &&
    env.DISABLE_PROMPT_CACHING !== "0" &&
    env.DISABLE_PROMPT_CACHING.toLowerCase() !== "false"
  ) {
    checks.push({
      name: "DISABLE_PROMPT_CACHING",
      status: "fail",
      detail: "set: Claude Code sends no cache checkpoints; unset it to cache",
    });
  } else checks.push({ name: "DISABLE_PROMPT_CACHING", status: "ok", detail: "not set" });
  if (env.CLAUDE_CODE_USE_BEDROCK) {
    checks.push({
      name: "CLAUDE_CODE_USE_BEDROCK",
      status: "info",
      detail: "set: Claude Code calls Bedrock, and caches unless DISABLE_PROMPT_CACHING is set",
    });
  }

  let model: ResolvedModel | undefined;
  try {
    model = resolveCliModel("--model", o.model, cliModels(o.aliases), region);
    const r = model.rules;
    checks.push(
      r.supportsExplicitCaching
        ? {
            name: "model",
            status: "ok",
            detail: `${model.name}: caches from ${int(r.minTokensPerCheckpoint)} tokens per checkpoint, up to ${r.maxCheckpoints} checkpoints, TTL ${r.ttls.join("/")}${r.maxCachedTokens ? `, at most ${int(r.maxCachedTokens)} cached tokens` : ""}`,
          }
        : {
            name: "model",
            status: "fail",
            detail: r.unsupportedReason ?? `${o.model} does not support prompt caching`,
          },
    );
  } catch (e) {
    checks.push({ name: "model", status: "fail", detail: (e as Error).message });
  }

  if (o.live && model?.rules.supportsExplicitCaching) {
    const client = new BedrockRuntimeClient({
      ...(region && { region }),
      ...(o.endpointUrl && { endpoint: o.endpointUrl }),
    });
    const system = [
      { text: systemPromptOf(Math.ceil(model.rules.minTokensPerCheckpoint * 1.4)) },
      { cachePoint: { type: "default" as const } },
    ];
    try {
      const usages = [];
      for (let i = 0; i < 2; i++) {
        const res = await client.send(
          new ConverseCommand({
            modelId: o.model,
            system,
            messages: [{ role: "user", content: [{ text: "Reply with OK." }] }],
            inferenceConfig: { maxTokens: 5 },
          }),
        );
        usages.push(converseUsage(res));
      }
      const [a, b] = usages as [ReturnType<typeof converseUsage>, ReturnType<typeof converseUsage>];
      const ok = a.cacheWriteInputTokens + a.cacheReadInputTokens > 0 && b.cacheReadInputTokens > 0;
      checks.push({
        name: "live probe",
        status: ok ? "ok" : "fail",
        detail: `request 1 wrote ${int(a.cacheWriteInputTokens)} (read ${int(a.cacheReadInputTokens)}); request 2 read ${int(b.cacheReadInputTokens)}${ok ? "" : ": the cache did not serve the second request"}`,
      });
    } catch (e) {
      checks.push({
        name: "live probe",
        status: "fail",
        detail: `${(e as Error).name}: ${(e as Error).message}${liveHint(e)}`,
      });
    } finally {
      client.destroy();
    }
  }

  const failed = checks.filter((c) => c.status === "fail");
  if (out.json) printJson({ ok: failed.length === 0, checks });
  else {
    const mark = {
      ok: pc.green("ok  "),
      warn: pc.yellow("warn"),
      fail: pc.red("FAIL"),
      info: pc.dim("info"),
    };
    for (const c of checks) out.log(`${mark[c.status]} ${c.name}: ${c.detail}`);
    if (!o.live) out.log(pc.dim("(run with --live to send two real requests and see a write, then a read)"));
  }
  if (failed.length)
    throw new CheckFailed(`${failed.length} check(s) failed: ${failed.map((c) => c.name).join(", ")}`);
}
