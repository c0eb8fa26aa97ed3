import { createHash } from "node:crypto";
import http2 from "node:http2";
import net from "node:net";
import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { type MockServer, mockCredentials, startMockServer } from "@cachepoint/mock-transport";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import autocannon from "autocannon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MODEL = encodeURIComponent("us.anthropic.claude-sonnet-4-6");
const body = (i: number) =>
  JSON.stringify({
    system: [{ text: `tenant ${i}: ${"policy text ".repeat(600)}` }, { cachePoint: { type: "default" } }],
    messages: [{ role: "user", content: [{ text: "hi" }] }],
  });
const bearer = { authorization: "Bearer cachepoint-test-bearer-a", "content-type": "application/json" };
const converse = (server: MockServer, i = 0) =>
  fetch(`${server.url}/model/${MODEL}/converse`, { method: "POST", headers: bearer, body: body(i) });

describe("the server under abuse: refuses what is wrong without harming other connections", () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ maxEntries: 500, maxBodyBytes: 1_000_000, requestTimeoutMs: 1500 });
  });
  afterAll(async () => server.close(500));

  it("an oversized body (declared or streamed) is refused with 413 while others are served", async () => {
    const [big, streamed, normal] = await Promise.all([
      fetch(`${server.url}/model/${MODEL}/converse`, {
        method: "POST",
        headers: bearer,
        body: "x".repeat(2_000_000),
      }),
      fetch(`${server.url}/model/${MODEL}/converse`, {
        method: "POST",
        headers: bearer,
        body: new ReadableStream({
          start(c) {
            for (let i = 0; i < 40; i++) c.enqueue(new Uint8Array(64_000));
            c.close();
          },
        }),
        duplex: "half",
      } as RequestInit).catch((e: Error) => ({ status: -1, headers: new Headers(), error: e })),
      converse(server, 1),
    ]);
    expect(big.status).toBe(413);
    expect(big.headers.get("x-amzn-errortype")).toBe("ValidationException");
    expect([413, -1]).toContain(streamed.status); // refused (the server may close before the client finishes sending)
    expect(normal.status).toBe(200);
  });

  it("a client that trickles its request is cut off; others are served meanwhile", async () => {
    const u = new URL(server.url);
    const slow = net.connect(Number(u.port), u.hostname);
    const closed = new Promise<number>((ok) => {
      const t0 = Date.now();
      slow.on("close", () => ok(Date.now() - t0));
      slow.on("error", () => {});
    });
    slow.write(
      `POST /model/${MODEL}/converse HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer cachepoint-test-bearer-a\r\nContent-Length: 1000\r\n\r\n`,
    );
    const drip = setInterval(() => slow.writable && slow.write("x"), 100);
    const t = Date.now();
    const res = await converse(server, 2);
    expect(res.status).toBe(200);
    expect(Date.now() - t).toBeLessThan(1000);
    const ms = await closed;
    clearInterval(drip);
    expect(ms).toBeLessThan(10_000);
  });

  it("malformed HTTP/2 (the preface, then garbage frames) is refused with GOAWAY and dropped; others are served", async () => {
    const u = new URL(server.url);
    const bad = net.connect(Number(u.port), u.hostname);
    const t0 = Date.now();
    let received = Buffer.alloc(0);
    bad.on("data", (d: Buffer) => {
      received = Buffer.concat([received, d]);
    });
    const closed = new Promise<number>((ok) => bad.on("close", () => ok(Date.now() - t0)));
    bad.on("error", () => {});
    bad.write(Buffer.concat([Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), Buffer.alloc(64, 0xff)]));
    // Meanwhile a well-formed HTTP/2 client on the same port is served.
    const session = http2.connect(server.url);
    const status = await new Promise<number>((ok, fail) => {
      const req = session.request({ ":method": "POST", ":path": `/model/${MODEL}/converse`, ...bearer });
      req.on("response", (h) => ok(Number(h[":status"])));
      req.on("error", fail);
      req.end(body(3));
    });
    session.close();
    expect(status).toBe(200);
    // The malformed peer got a GOAWAY frame (type 0x07) with an error code (node:http2 sends INTERNAL_ERROR)…
    const frames: { type: number; payload: Buffer }[] = [];
    for (let o = 0; o + 9 <= received.length; ) {
      const len = received.readUIntBE(o, 3);
      frames.push({ type: received[o + 3]!, payload: received.subarray(o + 9, o + 9 + len) });
      o += 9 + len;
    }
    const goaway = frames.find((f) => f.type === 0x07);
    expect(goaway, received.toString("hex")).toBeDefined();
    expect(goaway!.payload.readUInt32BE(4)).toBeGreaterThan(0);
    // …and its connection is dropped within the request timeout (1.5 s here), without it closing first.
    const ms = await closed;
    expect(ms).toBeLessThan(5000);
  });

  it("a signature whose scope was edited after signing (another Region) is refused", async () => {
    const u = new URL(server.url);
    const b = body(4);
    const req = new HttpRequest({
      method: "POST",
      protocol: "http:",
      hostname: u.hostname,
      port: Number(u.port),
      path: `/model/${MODEL}/converse`,
      headers: {
        host: u.host,
        "content-type": "application/json",
        "x-amz-content-sha256": createHash("sha256").update(b).digest("hex"),
      },
      body: b,
    });
    const s = await new SignatureV4({
      credentials: mockCredentials(),
      region: "us-east-1",
      service: "bedrock",
      sha256: Hash.bind(null, "sha256"),
    }).sign(req);
    const headers = { ...(s.headers as Record<string, string>) };
    headers.authorization = headers.authorization!.replace("/us-east-1/", "/us-west-2/");
    const res = await fetch(`${server.url}${s.path}`, { method: "POST", headers, body: b });
    expect(res.status).toBe(403);
    expect(res.headers.get("x-amzn-errortype")).toBe("InvalidSignatureException");
  });

  it("256 concurrent connections for a few seconds: no errors, and the cache cap holds", async () => {
    let i = 0;
    const result = await autocannon({
      url: `${server.url}/model/${MODEL}/converse`,
      connections: 256,
      duration: Number(process.env.CACHEPOINT_LOAD_SECONDS ?? 3),
      method: "POST",
      headers: bearer,
      requests: [{ setupRequest: (r) => ({ ...r, body: body(i++ % 5000) }) }],
    });
    expect(result.errors).toBe(0);
    expect(result.non2xx).toBe(0);
    const r = result as unknown as { totalRequests?: number; requests: { total?: number } };
    expect(r.totalRequests ?? r.requests.total ?? 0).toBeGreaterThan(1000);
    const stats = (await (await fetch(`${server.url}/_cachepoint/stats`)).json()) as {
      entries: number;
      evictions: number;
      memory: { rss: number };
    };
    expect(stats.entries).toBeLessThanOrEqual(500);
    expect(stats.evictions).toBeGreaterThan(0);
  });
});

describe("graceful shutdown", () => {
  it("drains the request in flight, then refuses new connections", async () => {
    // Real waiting: the modelled latency × 0.5 (a ~5,000-token write ≈ 1.4 s → ~0.7 s).
    const server = await startMockServer({ realTimeScale: 0.5 });
    const client = new BedrockRuntimeClient({
      region: "us-east-1",
      endpoint: server.url,
      credentials: mockCredentials(),
      maxAttempts: 1,
    });
    const inFlight = client.send(
      new ConverseCommand({
        modelId: "us.anthropic.claude-sonnet-4-6",
        system: [{ text: "policy ".repeat(4000) }, { cachePoint: { type: "default" } }],
        messages: [{ role: "user", content: [{ text: "hi" }] }],
      }),
    );
    await new Promise((r) => setTimeout(r, 150));
    const closing = server.close(5000);
    const out = await inFlight;
    expect(out.$metadata.httpStatusCode).toBe(200);
    await closing;
    client.destroy();
    await expect(fetch(`${server.url}/_cachepoint/stats`)).rejects.toThrow();
  });
});
