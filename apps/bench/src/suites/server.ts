import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { mockCredentials } from "@cachepoint/mock-transport";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import autocannon from "autocannon";

const here = dirname(fileURLToPath(import.meta.url));

export interface ServerLoad {
  connections: number;
  durationS: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  total: number;
}

/** Starts the server in a child process and returns its URL and a stop function. */
export async function startServerProcess(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    // Same resolution as this process: built packages under `pnpm bench`, source under `pnpm reliability`.
    [
      ...process.execArgv.filter((a) => a.startsWith("--conditions")),
      "--import",
      "tsx",
      resolve(here, "../serverProcess.ts"),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((ok, fail) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /^(http:\/\/\S+)\n/m.exec(out);
      if (m) ok(m[1]!);
    });
    child.on("exit", (c) => fail(new Error(`server process exited ${c}`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((ok) => {
        child.once("exit", () => ok());
        child.kill("SIGTERM");
      }),
  };
}

/** A signed 20,000-character Converse request (valid for the 15 minutes SigV4 allows). */
export async function signedConverse(
  url: string,
  chars = 20_000,
): Promise<{ method: "POST"; path: string; headers: Record<string, string>; body: string }> {
  const u = new URL(url);
  const body = JSON.stringify({
    system: [
      { text: "Refunds within 30 days with a receipt. ".repeat(Math.ceil(chars / 40)).slice(0, chars) },
      { cachePoint: { type: "default" } },
    ],
    messages: [{ role: "user", content: [{ text: "Can I return a gift?" }] }],
  });
  const req = new HttpRequest({
    method: "POST",
    protocol: "http:",
    hostname: u.hostname,
    port: Number(u.port),
    path: `/model/${encodeURIComponent("us.anthropic.claude-sonnet-4-6")}/converse`,
    headers: {
      host: u.host,
      "content-type": "application/json",
      "x-amz-content-sha256": createHash("sha256").update(body).digest("hex"),
    },
    body,
  });
  const signer = new SignatureV4({
    credentials: mockCredentials(),
    region: "us-east-1",
    service: "bedrock",
    sha256: Hash.bind(null, "sha256"),
  });
  const s = await signer.sign(req);
  return { method: "POST", path: s.path, headers: s.headers as Record<string, string>, body };
}

/** Loads the server over HTTP/1.1 keep-alive with autocannon (loopback only; bounded in time). */
export async function loadServer(url: string, connections: number, durationS: number): Promise<ServerLoad> {
  const r = await signedConverse(url);
  const result = await autocannon({
    url: `${url}${r.path}`,
    connections,
    duration: durationS,
    pipelining: 1,
    method: r.method,
    headers: r.headers,
    body: r.body,
  });
  return {
    connections,
    durationS,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

export async function serverSuite(full: boolean): Promise<{ markdown: string; summary: string }> {
  const srv = await startServerProcess();
  try {
    const load = await loadServer(srv.url, full ? 64 : 16, full ? 30 : 8);
    const summary = `server: ${load.requestsPerSecond.toFixed(0)} req/s, p99 ${load.p99Ms} ms, ${load.errors} errors, ${load.non2xx} non-2xx over ${load.total} requests`;
    const markdown = `## The standalone server under load

\`autocannon\` over HTTP/1.1 keep-alive against the mock server running in its own process on loopback: a
SigV4-signed 20,000-character Converse request with a checkpoint (signature verified on every request), the cache
read after the first; ${load.connections} connections for ${load.durationS} s.

| connections | duration | requests/s | p50 latency | p99 latency | errors | non-2xx | requests |
|---:|---:|---:|---:|---:|---:|---:|---:|
| ${load.connections} | ${load.durationS} s | ${load.requestsPerSecond.toFixed(0)} | ${load.p50Ms} ms | ${load.p99Ms} ms | ${load.errors} | ${load.non2xx} | ${load.total} |
`;
    return { markdown, summary };
  } finally {
    await srv.stop();
  }
}
