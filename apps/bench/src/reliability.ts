// `pnpm reliability`: the long versions of the hardening suites (the short ones run in CI), then a soak of
// the server under load and abuse. Writes RELIABILITY.md. `--quick` shortens everything (a smoke run).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { startServerProcess } from "./suites/server.js";

const quick = process.argv.includes("--quick");
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const started = Date.now();
const log = (s: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0)}s] ${s}`);

interface SuiteRun {
  name: string;
  file: string;
  runs: number;
  properties: number;
  passed: number;
  failed: number;
  seconds: number;
}

function runSuite(name: string, file: string, runs: number, properties: number): SuiteRun {
  const out = join(mkdtempSync(join(tmpdir(), "cachepoint-rel-")), "r.json");
  const t = Date.now();
  // The suite's 20 s test timeout is sized for CI's 300 cases; a long run is meant to take long (on a slow, shared
  // machine the 34,000-case Converse fuzz takes 17–19 s), so it gets ten minutes a test.
  spawnSync(
    "pnpm",
    ["vitest", "run", file, "--reporter=json", `--outputFile=${out}`, "--testTimeout=600000"],
    {
      cwd: root,
      env: { ...process.env, CACHEPOINT_FUZZ_RUNS: String(runs) },
      stdio: "ignore",
    },
  );
  const r = JSON.parse(readFileSync(out, "utf8")) as { numPassedTests: number; numFailedTests: number };
  const run = {
    name,
    file,
    runs,
    properties,
    passed: r.numPassedTests,
    failed: r.numFailedTests,
    seconds: (Date.now() - t) / 1000,
  };
  log(
    `${name}: ${run.passed} passed, ${run.failed} failed, ${(runs * properties).toLocaleString("en-US")} cases, ${run.seconds.toFixed(0)} s`,
  );
  return run;
}

const scale = quick ? 0.02 : 1;
const suites = [
  runSuite(
    "Bad input: mock, readers and planners (fast-check)",
    "packages/integration-tests/test/hardening/fuzz.test.ts",
    Math.ceil(34_000 * scale),
    3,
  ),
  runSuite(
    "Reference model vs the fast simulator",
    "packages/integration-tests/test/hardening/referenceModel.test.ts",
    Math.ceil(20_000 * scale),
    2,
  ),
  runSuite(
    "Isolation: interleaved tenants vs each alone",
    "packages/integration-tests/test/hardening/isolation.test.ts",
    Math.ceil(20_000 * scale),
    1,
  ),
  runSuite(
    "Plan validity over random layouts × every model",
    "packages/core/src/planCheckpoints.property.test.ts",
    Math.ceil(20_000 * scale),
    5,
  ),
];

// --- Soak: 256 connections, varied prompts (the cache cap must hold), abuse alongside. ---
const seconds = quick ? 8 : 60;
const cap = 2000;
process.env.MOCK_MAX_ENTRIES = String(cap);
process.env.MOCK_REQUEST_TIMEOUT_MS = "3000";
const srv = await startServerProcess();
const u = new URL(srv.url);
const path = `/model/${encodeURIComponent("us.anthropic.claude-sonnet-4-6")}/converse`;
const headers = { authorization: "Bearer cachepoint-test-bearer-a", "content-type": "application/json" };
const body = (i: number) =>
  JSON.stringify({
    system: [{ text: `tenant ${i}: ${"policy text ".repeat(600)}` }, { cachePoint: { type: "default" } }],
    messages: [{ role: "user", content: [{ text: "hi" }] }],
  });
const samples: { t: number; rssMb: number; heapMb: number; entries: number }[] = [];
const abuse = {
  oversized: { sent: 0, refused: 0, closedMidUpload: 0 },
  slow: { sent: 0, cut: 0 },
  malformedH2: { sent: 0, goaway: 0 },
  otherFailures: 0,
};
let stop = false;
const sampler = (async () => {
  while (!stop) {
    try {
      const s = (await (await fetch(`${srv.url}/_cachepoint/stats`)).json()) as {
        entries: number;
        memory: { rss: number; heapUsed: number };
      };
      samples.push({
        t: (Date.now() - started) / 1000,
        rssMb: s.memory.rss / 2 ** 20,
        heapMb: s.memory.heapUsed / 2 ** 20,
        entries: s.entries,
      });
    } catch {
      abuse.otherFailures++;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
})();
const abuser = (async () => {
  while (!stop) {
    abuse.oversized.sent++;
    const big = await fetch(`${srv.url}${path}`, {
      method: "POST",
      headers,
      body: "x".repeat(26_000_000),
    }).catch(() => undefined);
    if (big && (big.status === 413 || big.status === 400)) abuse.oversized.refused++;
    // The server answers 413 and closes as soon as the declared length is too large; a client still sending
    // then sees the connection reset instead of reading the answer.
    else if (!big) abuse.oversized.closedMidUpload++;
    abuse.slow.sent++;
    const slow = net.connect(Number(u.port), u.hostname);
    slow.on("error", () => {});
    slow.write(
      `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer cachepoint-test-bearer-a\r\nContent-Length: 100000\r\n\r\n`,
    );
    const cut = new Promise<boolean>((ok) => {
      slow.on("data", (d: Buffer) => d.toString().startsWith("HTTP/1.1 408") && ok(true));
      slow.on("close", () => ok(true));
      setTimeout(() => ok(false), 10_000);
    });
    abuse.malformedH2.sent++;
    const bad = net.connect(Number(u.port), u.hostname);
    bad.on("error", () => {});
    const gotGoaway = new Promise<boolean>((ok) => {
      let buf = Buffer.alloc(0);
      bad.on("data", (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        // Walk the frames received so far; type 0x07 is GOAWAY.
        for (let o = 0; o + 9 <= buf.length; o += 9 + buf.readUIntBE(o, 3)) if (buf[o + 3] === 0x07) ok(true);
      });
      setTimeout(() => ok(false), 5000);
    });
    bad.write(Buffer.concat([Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), Buffer.alloc(64, 0xff)]));
    if (await gotGoaway) abuse.malformedH2.goaway++;
    bad.destroy();
    if (await cut) abuse.slow.cut++;
    slow.destroy();
  }
})();
log(`soak: 256 connections for ${seconds} s`);
let i = 0;
const load = await autocannon({
  url: `${srv.url}${path}`,
  connections: 256,
  duration: seconds,
  method: "POST",
  headers,
  requests: [{ setupRequest: (r: object) => ({ ...r, body: body(i++ % 20_000) }) }],
} as never);
stop = true;
await Promise.all([sampler, abuser]);
const h2ok = await new Promise<number>((ok) => {
  const s = http2.connect(srv.url);
  const req = s.request({ ":method": "GET", ":path": "/_cachepoint/stats" });
  req.on("response", (h) => {
    ok(Number(h[":status"]));
    s.close();
  });
  req.on("error", () => ok(-1));
  req.end();
});
await srv.stop();
const raw = load as unknown as {
  requests: { average: number; total?: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  totalRequests?: number;
};
// autocannon reports the total as requests.total (and, in some contexts, totalRequests).
const L = { ...raw, totalRequests: raw.totalRequests ?? raw.requests.total ?? 0 };
log(`soak: ${L.totalRequests} requests, ${L.errors} errors, ${L.non2xx} non-2xx, p99 ${L.latency.p99} ms`);

const rss = samples.map((s) => s.rssMb);
const fmt = (n: number) => n.toLocaleString("en-US");
const caseCount = suites.reduce((s, x) => s + x.runs * x.properties, 0);
const doc = `# Reliability

Produced by \`pnpm reliability${quick ? " --quick" : ""}\` on ${new Date().toISOString().slice(0, 10)} (${((Date.now() - started) / 1000).toFixed(0)} s).
The short versions of every suite run in CI on each change (\`pnpm test\`, 200–300 cases per property and a 3-second
256-connection load); this page records the long runs. Everything here is rerunnable with the same command.

## Property suites at scale

| suite | file | cases | tests passed | failed | time |
|---|---|---:|---:|---:|---:|
${suites.map((s) => `| ${s.name} | \`${s.file}\` | ${fmt(s.runs * s.properties)} (${fmt(s.runs)} × ${s.properties}) | ${s.passed} | ${s.failed} | ${s.seconds.toFixed(0)} s |`).join("\n")}

${fmt(caseCount)} generated cases in all. What each asserts:

- **Bad input** — random methods, paths, headers and bodies (garbage bytes, arbitrary JSON, malformed Converse,
  Anthropic, Nova and legacy bodies, 5,000- and 20,000-deep nesting) against the mock: every answer is a typed 4xx
  in Bedrock's shape (\`x-amzn-errortype\`, \`{"message"}\`, a request ID) or a well-formed 200, never a 5xx or a
  crash; the readers, \`prepareConverse\` and \`prepareInvokeModel\` (strings, bytes, objects, strict or not) return
  a result or throw \`CachepointError\`, nothing else, and never mutate deep-frozen input.
- **Reference model** — random sequences of requests (shared prefixes, 0–30 blocks, checkpoints with mixed TTLs,
  three models), clock advances (including exactly 5 minutes and exactly 1 hour), two accounts, two Regions and
  deferred commits, replayed through \`CacheSimulator\` and a deliberately simple list-based model: every counter
  equal after every request, and the same number of entries at the end, with a roomy cap and with a cap of 3
  (eviction). Mutating the simulator's lookback by one block or its expiry comparison makes this fail.
- **Isolation** — random interleavings of four tenants (two accounts, three Regions): every request gets exactly
  the usage it would get if its tenant were alone.
- **Plan validity** — random layouts × every model in the table × three strategies: no plan exceeds the budget,
  goes below a minimum, uses a section, placement or TTL the model rejects, or orders TTLs wrongly.

## The server under load and abuse

\`autocannon\` at **256 connections for ${seconds} s** over HTTP/1.1 keep-alive (loopback only) against the mock server in
its own process, each request a 2,400-token prompt from one of 20,000 tenants (so the cache fills and must evict),
with the entry cap at ${fmt(cap)}. Meanwhile, in a loop: a 26 MB body, a client that sends headers then never its
body, and a connection that opens HTTP/2 and sends garbage frames.

| requests | req/s | p50 | p99 | max | errors | timeouts | non-2xx |
|---:|---:|---:|---:|---:|---:|---:|---:|
| ${fmt(L.totalRequests)} | ${fmt(Math.round(L.requests.average))} | ${L.latency.p50} ms | ${L.latency.p99} ms | ${L.latency.max} ms | ${L.errors} | ${L.timeouts} | ${L.non2xx} |

| abuse | sent | handled |
|---|---:|---|
| 26 MB bodies | ${abuse.oversized.sent} | ${abuse.oversized.refused} read the 413; ${abuse.oversized.closedMidUpload} were cut off mid-upload after the server answered 413 and closed; none reached the handler |
| clients that never send their body | ${abuse.slow.sent} | ${abuse.slow.cut} answered 408 / cut off by the 3 s request deadline |
| malformed HTTP/2 | ${abuse.malformedH2.sent} | ${abuse.malformedH2.goaway} answered with GOAWAY |

Memory of the server process, sampled every 2 s during the soak: RSS ${rss.length ? `${Math.min(...rss).toFixed(0)}–${Math.max(...rss).toFixed(0)} MiB` : "n/a"};
cache entries never above ${fmt(Math.max(0, ...samples.map((s) => s.entries)))} (cap ${fmt(cap)}). After the soak a fresh HTTP/2 request
answered ${h2ok}. Graceful shutdown (in-flight requests drained, new connections refused) is checked by
\`packages/integration-tests/test/hardening/server.test.ts\` on every CI run.

| t (s) | RSS MiB | heap MiB | entries |
|---:|---:|---:|---:|
${samples.map((s) => `| ${s.t.toFixed(0)} | ${s.rssMb.toFixed(0)} | ${s.heapMb.toFixed(0)} | ${fmt(s.entries)} |`).join("\n")}
`;
writeFileSync(resolve(root, "RELIABILITY.md"), doc);
log("wrote RELIABILITY.md");
const failed = suites.some((s) => s.failed > 0) || L.errors > 0 || L.non2xx > 0;
process.exit(failed ? 1 : 0);
