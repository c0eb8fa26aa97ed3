import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, repo } from "./helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "cachepoint-cli-"));
const file = (name: string, content: string) => {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
};
const example = (p: string) => resolve(repo, "examples", p);
const seed001 = file(
  "seed001.json",
  JSON.stringify({
    prompt: "Human: Test for caching.\n\nAssistant:",
    cache_control: { type: "default" },
    max_tokens: 10,
  }),
);

describe.concurrent("cachepoint track", () => {
  it("runs the tracker on the mock: 10 requests, a write then reads, the cache speed ROI and the savings", async () => {
    const r = await cli(["track"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/10 identical Converse requests to Claude Sonnet 4\.6/);
    expect(r.stdout).toMatch(/modelled latency/);
    expect(r.stdout).toMatch(/cache speed ROI: \d+\.\d% faster/);
    expect(r.stdout).toMatch(/saved \d+\.\d%/);
  });

  it("--json prints exactly one document with the documented shape", async () => {
    const r = await cli(["track", "--requests", "3", "--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ model: "us.anthropic.claude-sonnet-4-6", api: "converse" });
    expect(Object.keys(doc.requests[0]).sort()).toEqual([
      "cacheReadInputTokens",
      "cacheWriteInputTokens",
      "costUsd",
      "index",
      "inputTokens",
      "latencyMs",
      "outputTokens",
    ]);
    expect(Object.keys(doc.summary).sort()).toEqual([
      "cacheSpeedRoiPct",
      "costUsd",
      "savedPct",
      "uncachedCostUsd",
    ]);
    expect(doc.requests[0].cacheWriteInputTokens).toBeGreaterThan(4000);
    expect(doc.requests[1].cacheReadInputTokens).toBe(doc.requests[0].cacheWriteInputTokens);
    expect(doc.requests[1].latencyMs).toBeLessThan(doc.requests[0].latencyMs);
    expect(doc.summary.cacheSpeedRoiPct).toBeGreaterThan(10);
    expect(doc.summary.costUsd).toBeLessThan(doc.summary.uncachedCostUsd);
  });

  it("a single request says why it cost more than uncached", async () => {
    const r = await cli(["track", "--requests", "1"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/lost \d+\.\d%/);
    expect(r.stdout).toContain("note: One request only writes the cache and pays the write premium");
  });

  it("--interval 6m shows the 5-minute entry expiring; --ttl 1h survives 20-minute gaps", async () => {
    const five = JSON.parse((await cli(["track", "--requests", "3", "--interval", "6m", "--json"])).stdout);
    expect(five.requests.map((x: { cacheReadInputTokens: number }) => x.cacheReadInputTokens)).toEqual([
      0, 0, 0,
    ]);
    expect(five.summary.cacheSpeedRoiPct).toBeNull();
    expect(five.summary.savedPct).toBeLessThan(0);
    const hour = JSON.parse(
      (await cli(["track", "--requests", "3", "--interval", "20m", "--ttl", "1h", "--json"])).stdout,
    );
    expect(hour.requests[2].cacheReadInputTokens).toBeGreaterThan(4000);
  });

  it("--api invoke-model, on Claude and on Nova, with a system file", async () => {
    const claude = JSON.parse(
      (await cli(["track", "--api", "invoke-model", "--requests", "2", "--json"])).stdout,
    );
    expect(claude.requests[1].cacheReadInputTokens).toBeGreaterThan(4000);
    const sys = file("system.txt", "Always answer in French. ".repeat(600));
    const nova = await cli([
      "track",
      "--api",
      "invoke-model",
      "--model",
      "us.amazon.nova-lite-v1:0",
      "--system-file",
      sys,
      "--requests",
      "2",
      "--json",
    ]);
    expect(nova.code, nova.stderr).toBe(0);
    expect(JSON.parse(nova.stdout).requests[1].cacheReadInputTokens).toBeGreaterThan(1536);
  });

  it("Haiku 4.5 with a prompt below its minimum caches nothing and says why", async () => {
    const r = await cli([
      "track",
      "--model",
      "us.anthropic.claude-haiku-4-5-20251001-v1:0",
      "--system-tokens",
      "2000",
      "--requests",
      "2",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/below-min-tokens: .*4,096/);
  });

  it("bad usage exits 2 and names the flag", async () => {
    for (const [args, msg] of [
      [["track", "--requests", "0"], /--requests takes a whole number/],
      [["track", "--interval", "soon"], /--interval takes a duration/],
      [["track", "--api", "rest"], /--api/],
      [["track", "--model", "us.anthropic.claude-sonet-4-6"], /--model: Unknown model .*claude-sonnet-4-6/],
      [["track", "--model", "us.amazon.nova-pro-v1:0", "--ttl", "1h"], /--ttl: Amazon Nova Pro offers 5m/],
      [["track", "--system-file", join(tmp, "missing.txt")], /--system-file: cannot read/],
      [["track", "--frobnicate"], /unknown option '--frobnicate'/],
      [["launch"], /unknown command 'launch'/],
    ] as const) {
      const r = await cli([...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(msg);
    }
  });
});

describe.concurrent("application inference profile ARNs", () => {
  const arn = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/support-bot";
  const alias = `${arn}=us.anthropic.claude-sonnet-4-6`;

  it("an ARN that does not name its model is refused with the --alias that fixes it", async () => {
    for (const args of [
      ["track", "--model", arn],
      ["price", "--model", arn],
      ["plan", example("requests/support.json"), "--model", arn],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain(
        "is an application-inference-profile ARN, which does not say which model it runs",
      );
      expect(r.stderr).toContain(`--alias "${arn}=us.anthropic.claude-sonnet-4-6"`);
    }
    expect(await cli(["price", "--model", arn, "--alias", arn])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--alias takes <model ID or ARN>=<a known model ID>"),
    });
    const typo = await cli(["price", "--model", arn, "--alias", `${arn}=us.anthropic.claude-sonet-4-6`]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(
      /Unknown model "us.anthropic.claude-sonet-4-6".*Give a known model ID after the "="/,
    );
  });

  it("with --alias, track caches through the ARN on the mock, price uses the model's prices, plan reads a file's ARN", async () => {
    const tracked = await cli(["track", "--model", arn, "--alias", alias, "--requests", "3", "--json"]);
    expect(tracked.code, tracked.stderr).toBe(0);
    const t = JSON.parse(tracked.stdout);
    expect(t.requests.map((r: { cacheReadInputTokens: number }) => r.cacheReadInputTokens > 0)).toEqual([
      false,
      true,
      true,
    ]);
    const viaArn = JSON.parse((await cli(["price", "--model", arn, "--alias", alias, "--json"])).stdout);
    const direct = JSON.parse(
      (await cli(["price", "--model", "us.anthropic.claude-sonnet-4-6", "--json"])).stdout,
    );
    expect(viaArn.pricesPer1M).toEqual(direct.pricesPer1M);
    expect(viaArn.pricesPer1M.input).toBeGreaterThan(0);
    const request = JSON.parse(readFileSync(example("requests/support.json"), "utf8"));
    const withArn = file("arn-request.json", JSON.stringify({ ...request, modelId: arn }));
    const unaliased = await cli(["plan", withArn, "--json"]);
    expect(unaliased.code).toBe(1);
    const d = JSON.parse(unaliased.stdout).diagnostics[0];
    expect(d).toMatchObject({ code: "unknown-model", severity: "error" });
    expect(d.message).toContain("--alias");
    const planned = await cli(["plan", withArn, "--alias", alias, "--json"]);
    expect(planned.code, planned.stderr).toBe(0);
    expect(JSON.parse(planned.stdout).checkpoints.length).toBeGreaterThan(0);
  });

  it("simulate prices a trace recorded against the ARN", async () => {
    const lines = readFileSync(example("traces/chat.jsonl"), "utf8").trim().split("\n");
    const trace = file(
      "arn.jsonl",
      lines.map((l) => JSON.stringify({ ...JSON.parse(l), model: arn })).join("\n"),
    );
    expect((await cli(["simulate", trace])).stderr).toContain(`--alias "${arn}=`);
    const r = await cli(["simulate", trace, "--alias", alias, "--strategies", "none,auto", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const [none, auto] = JSON.parse(r.stdout).strategies;
    expect(auto.costUsd).toBeLessThan(none.costUsd * 0.5);
  });

  it("stops quietly when its reader goes away (cachepoint … | head)", async () => {
    const r = await cli(["price", "--model", "us.anthropic.claude-sonnet-4-6"], { closeStdout: true });
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(r.code).toBe(0);
  });
});

describe.concurrent("cachepoint plan", () => {
  it("explains why the seed's legacy payload cannot cache (exit 1)", async () => {
    const r = await cli(["plan", seed001, "--model", "us.anthropic.claude-3-7-sonnet-20250219-v1:0"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/legacy-text-completion: .*Prompt caching needs the Messages API/);
  });

  it("--json has the documented shape and the diagnostic codes of core", async () => {
    const r = await cli(["plan", example("requests/nova-with-tools.json"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.model).toBe("us.amazon.nova-pro-v1:0");
    expect(doc.totalTokens).toBeGreaterThan(4000);
    expect(doc.checkpoints[0]).toMatchObject({ section: "system", path: "system/0", ttl: "5m" });
    expect(Object.keys(doc.checkpoints[0]).sort()).toEqual([
      "path",
      "prefixTokens",
      "reason",
      "section",
      "ttl",
    ]);
    expect(doc.diagnostics.map((d: { code: string }) => d.code)).toContain("field-unsupported");
    expect(doc.request.toolConfig.tools).toHaveLength(1);
  });

  it("--apply prints the request with checkpoints; stdin works; --strategy manual reports without changing", async () => {
    const body = JSON.stringify({
      anthropic_version: "bedrock-2023-05-31",
      max_tokens: 10,
      system: "Policy. ".repeat(1500),
      messages: [{ role: "user", content: "hi" }],
    });
    const r = await cli(["plan", "-", "--model", "global.anthropic.claude-opus-4-8", "--apply"], {
      input: body,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/"cache_control": \{\s*"type": "ephemeral"\s*\}/);
    const manual = await cli(["plan", example("requests/support.json"), "--strategy", "manual", "--json"]);
    expect(JSON.parse(manual.stdout).request).toEqual(
      JSON.parse(readFileSync(example("requests/support.json"), "utf8")),
    );
  });

  it("missing files, malformed JSON and a missing model are usage errors that say what to fix", async () => {
    expect(await cli(["plan", join(tmp, "nope.json")])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/no such file/),
    });
    expect(await cli(["plan", file("bad.json", "{oops")])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/not valid JSON/),
    });
    expect(await cli(["plan", file("nomodel.json", JSON.stringify({ messages: [] }))])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--model is required/),
    });
    expect(
      await cli(["plan", file("arr.json", "[1,2]"), "--model", "us.anthropic.claude-sonnet-4-6"]),
    ).toMatchObject({ code: 2, stderr: expect.stringMatching(/expected a JSON object/) });
  });
});

describe.concurrent("cachepoint price, diff, simulate, doctor", () => {
  it("price: break-even, per-window savings matching AWS's table, and a TTL recommendation", async () => {
    const r = await cli([
      "price",
      "--model",
      "global.anthropic.claude-sonnet-4-6",
      "--prefix-tokens",
      "20000",
      "--requests-per-minute",
      "0.2",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const five = doc.breakEven.find((b: { ttl: string }) => b.ttl === "5m");
    expect(five.reads).toBeCloseTo(0.278, 2);
    expect(Math.round(five.savedPctByRequestsPerWindow["10"])).toBe(79);
    expect(doc.recommendation.ttl).toBe("1h");
    expect((await cli(["price", "--model", "meta.llama3-70b"])).code).toBe(2);
    expect((await cli(["price"])).stderr).toMatch(/required option '--model <id>'/);
  });

  it("diff: a timestamp in the system prompt, the same request, and an expired entry", async () => {
    const ts = await cli([
      "diff",
      example("requests/support.json"),
      example("requests/support-with-timestamp.json"),
      "--json",
    ]);
    expect(JSON.parse(ts.stdout)).toMatchObject({
      hit: false,
      reason: "system-changed",
      firstDifference: { path: "system/0" },
    });
    // The value that moved is on screen, and `plan` warns of it before any request is sent.
    const text = await cli([
      "diff",
      example("requests/support.json"),
      example("requests/support-with-timestamp.json"),
    ]);
    expect(text.stdout).toMatch(/second: ".*Current time: 2026-11-22T10:15:00Z"/);
    expect(JSON.parse(ts.stdout).textDifference.next).toMatch(/Current time: 2026-11-22T10:15:00Z$/);
    const plan = await cli(["plan", example("requests/support-with-timestamp.json")]);
    expect(plan.stdout).toMatch(
      /warning volatile-prefix: system\/0 holds "2026-11-22T10:15:00Z", which looks like the current time/,
    );
    const same = await cli(["diff", example("requests/support.json"), example("requests/support.json")]);
    expect(same.stdout).toMatch(/^hit \(hit\)/);
    const late = await cli([
      "diff",
      example("requests/support.json"),
      example("requests/support.json"),
      "--elapsed",
      "7m",
      "--json",
    ]);
    expect(JSON.parse(late.stdout).reason).toBe("ttl-expired");
  });

  it("simulate says why caching saves nothing when every request's system prompt holds the time", async () => {
    const policy = "Follow the refund policy exactly. ".repeat(300);
    const lines = Array.from({ length: 10 }, (_, i) =>
      JSON.stringify({
        t: i * 60_000,
        model: "us.anthropic.claude-sonnet-4-6",
        account: "111111111111",
        region: "us-east-1",
        converse: {
          system: [
            { text: `Current time: ${new Date(Date.UTC(2026, 11, 7, 14, i)).toISOString()}. ${policy}` },
          ],
          messages: [{ role: "user", content: [{ text: `question ${i}` }] }],
        },
      }),
    );
    const trace = file("timestamped.jsonl", `${lines.join("\n")}\n`);
    const r = await cli(["simulate", trace, "--strategies", "none,auto,auto+advisor", "--json"]);
    const doc = JSON.parse(r.stdout);
    const [none, auto, advised] = doc.strategies;
    expect(auto.usage.cacheReadInputTokens).toBe(0); // every request writes, none reads
    expect(auto.costUsd).toBeGreaterThan(none.costUsd);
    // Learning along the replay, the advisor stops writing the prompt after a few unread writes.
    expect(advised.usage.cacheWriteInputTokens).toBeLessThan(auto.usage.cacheWriteInputTokens * 0.8);
    expect(advised.costUsd).toBeLessThan(auto.costUsd);
    expect(doc.warnings).toMatchObject({
      strategy: "auto",
      byCode: [
        {
          code: "volatile-prefix",
          requests: 10,
          example: expect.stringMatching(/system\/0 holds "2026-12-07T14:00:00.000Z"/),
        },
      ],
    });
    const text = await cli(["simulate", trace, "--strategies", "none,auto"]);
    expect(text.stdout).toMatch(/volatile-prefix on 10 of 10 requests, e\.g\. system\/0 holds/);
  });

  it("simulate: a JSONL trace and Bedrock invocation logs, priced per strategy, with an HTML report", async () => {
    const report = join(tmp, "sim.html");
    const r = await cli(["simulate", example("traces/chat.jsonl"), "--json", "--report", report]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const cost = Object.fromEntries(
      doc.strategies.map((s: { strategy: string; costUsd: number }) => [s.strategy, s.costUsd]),
    );
    expect(cost.auto).toBeLessThan(cost.none * 0.5);
    expect(readFileSync(report, "utf8")).toMatch(/<svg class="chart"/);
    const logs = await cli([
      "simulate",
      example("traces/invocation-logs.json"),
      "--strategies",
      "none,auto",
      "--json",
    ]);
    const l = JSON.parse(logs.stdout);
    expect(l.requests).toBe(8);
    expect(l.strategies[1].savedPctVsNone).toBeGreaterThan(50);
  });

  it("simulate: a malformed line is named", async () => {
    const bad = file(
      "bad.jsonl",
      `${JSON.stringify({ t: 0, model: "us.anthropic.claude-sonnet-4-6", converse: { messages: [] } })}\n{nope\n`,
    );
    expect(await cli(["simulate", bad])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/bad\.jsonl:2 is not valid JSON/),
    });
    expect(await cli(["simulate", example("traces/chat.jsonl"), "--strategies", "greedy"])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--strategies must be one of/),
    });
  });

  it("doctor: fails without a Region, passes with one, flags DISABLE_PROMPT_CACHING, never prints secrets", async () => {
    const none = await cli(["doctor"]);
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/FAIL region/);
    const env = {
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "AKIDEXAMPLESECRET",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG",
    };
    const ok = await cli(["doctor", "--json"], { env });
    expect(ok.code).toBe(0);
    const node = JSON.parse(ok.stdout).checks.find((c: { name: string }) => c.name === "node");
    // A warning, not a failure, on Node 20: the SDK's 2027 releases need 22.
    expect(node.status).toBe(Number(process.versions.node.split(".")[0]) < 22 ? "warn" : "ok");
    expect(ok.stdout).not.toContain("AKIDEXAMPLESECRET");
    expect(ok.stdout).not.toContain("wJalrXUtnFEMI");
    const disabled = await cli(["doctor"], {
      env: { ...env, DISABLE_PROMPT_CACHING: "1", CLAUDE_CODE_USE_BEDROCK: "1" },
    });
    expect(disabled.code).toBe(1);
    expect(disabled.stdout).toMatch(/FAIL DISABLE_PROMPT_CACHING/);
    expect(disabled.stdout).toMatch(/CLAUDE_CODE_USE_BEDROCK/);
    const nova = await cli(["doctor", "--model", "meta.llama3-70b-instruct-v1:0"], { env });
    expect(nova.stdout).toMatch(/FAIL model/);
  });

  it("--help on every command shows examples and exits 0", async () => {
    for (const c of [
      [],
      ["track"],
      ["plan"],
      ["price"],
      ["diff"],
      ["simulate"],
      ["mock", "serve"],
      ["doctor"],
    ]) {
      const r = await cli([...c, "--help"]);
      expect(r.code, c.join(" ")).toBe(0);
      expect(r.stdout, c.join(" ")).toMatch(/Examples:/);
    }
  });
});
