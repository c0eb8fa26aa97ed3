import http, { type IncomingMessage, type ServerResponse } from "node:http";
import http2, { type Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import net, { type Socket } from "node:net";
import { MockBedrock, type MockBedrockOptions } from "./MockBedrock.js";

/** Options for {@link startMockServer}. @public */
export interface MockServerOptions extends MockBedrockOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1: the mock is for tests and should not be reachable from elsewhere. */
  host?: string;
  /** Serve this mock instead of creating one. */
  mock?: MockBedrock;
  /** Largest request body accepted before the connection is answered with an error. Default 25 MB + 1 KiB. */
  maxBodyBytes?: number;
  /** How long a request (headers and body) may take to arrive before the server gives up on it. Default 30 s. */
  requestTimeoutMs?: number;
}

/** A running mock server. @public */
export interface MockServer {
  /** `http://127.0.0.1:PORT`: pass it as `endpoint` (JS) or `--endpoint-url` (AWS CLI, boto3). */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly mock: MockBedrock;
  /** Stops accepting connections, lets in-flight requests finish (up to `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

type Req = IncomingMessage | Http2ServerRequest;
type Res = ServerResponse | Http2ServerResponse;
const H2_PREFACE_START = Buffer.from("PRI * HTTP/2.0");

/**
 * Starts the standalone mock: HTTP/1.1 and h2c (prior knowledge) on one port, so the JS SDK's default
 * HTTP/2 client, `NodeHttpHandler`, boto3 and the AWS CLI all work against `--endpoint-url`. SigV4 is
 * verified by default. Admin routes for tests in any language:
 * `POST /_cachepoint/clock/advance {"ms": n}` → `{"now"}`, `POST /_cachepoint/reset`,
 * `GET /_cachepoint/cache`, `GET /_cachepoint/calls`.
 * @example
 * const server = await startMockServer();
 * const client = new BedrockRuntimeClient({ endpoint: server.url, region: "us-east-1", credentials: mockCredentials() });
 * @public
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  // The server's own options stay here; the rest configure the mock (which refuses keys it does not know).
  const {
    port: _port,
    host: _host,
    mock: given,
    maxBodyBytes: _max,
    requestTimeoutMs: _timeout,
    ...mockOptions
  } = options;
  const mock = given ?? new MockBedrock({ verifySignatures: true, ...mockOptions });
  const host = options.host ?? "127.0.0.1";
  const maxBody = options.maxBodyBytes ?? 25_000_000 + 1024;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  let inFlight = 0;
  let idle: (() => void) | undefined;

  const handler = (req: Req, res: Res) => {
    inFlight++;
    serve(req, res)
      .catch((e) => {
        if (!res.headersSent) {
          res.writeHead(500, {
            "content-type": "application/json",
            "x-amzn-errortype": "InternalServerException",
          });
          res.end(JSON.stringify({ message: `The mock server failed: ${(e as Error).message}` }));
        } else res.destroy();
      })
      .finally(() => {
        inFlight--;
        if (inFlight === 0) idle?.();
      });
  };

  async function serve(req: Req, res: Res): Promise<void> {
    const rawPath = req.url ?? "/";
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
    const declared = Number(headers["content-length"] ?? 0);
    if (declared > maxBody) {
      return reject(
        res,
        413,
        "ValidationException",
        `Request body of ${declared} bytes exceeds the ${maxBody}-byte limit.`,
      );
    }
    const parts: Buffer[] = [];
    let size = 0;
    // A client that trickles its body must not hold the connection: give the whole body `requestTimeout`.
    const deadline = setTimeout(() => {
      if (!res.headersSent)
        reject(
          res,
          408,
          "RequestTimeoutException",
          `The request body did not arrive within ${requestTimeout} ms.`,
        );
      req.destroy();
    }, requestTimeout);
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBody) {
          reject(res, 413, "ValidationException", `Request body exceeds the ${maxBody}-byte limit.`);
          req.destroy();
          return;
        }
        parts.push(chunk);
      }
    } catch {
      return; // the client went away, or the deadline cut it off
    } finally {
      clearTimeout(deadline);
    }
    if (res.headersSent) return;
    const body = Buffer.concat(parts);
    if (rawPath.startsWith("/_cachepoint/")) {
      admin(req.method ?? "GET", rawPath, body, res);
      return;
    }
    const out = await mock.handle({ method: req.method ?? "GET", rawPath, headers, body });
    res.writeHead(out.status, { ...out.headers });
    if (out.body instanceof Uint8Array) {
      res.end(out.body);
      return;
    }
    for await (const frame of out.body) {
      if (res.destroyed) return; // the client went away: stop producing
      (res as ServerResponse).write(frame);
    }
    res.end();
  }

  function reject(res: Res, status: number, type: string, message: string): void {
    res.writeHead(status, {
      "content-type": "application/json",
      "x-amzn-errortype": type,
      connection: "close",
    });
    res.end(JSON.stringify({ message }));
  }

  function admin(method: string, path: string, body: Buffer, res: Res): boolean {
    const send = (status: number, value: unknown): boolean => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
      return status < 400;
    };
    const route = `${method.toUpperCase()} ${path.split("?")[0]}`;
    try {
      switch (route) {
        case "POST /_cachepoint/clock/advance": {
          const { ms } = JSON.parse(body.toString("utf8") || "{}") as { ms?: unknown };
          if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)
            return send(400, { message: 'Send {"ms": <milliseconds ≥ 0>}.' });
          return send(200, { now: mock.advance(ms) });
        }
        case "POST /_cachepoint/reset":
          mock.reset();
          return send(200, { ok: true });
        case "GET /_cachepoint/cache":
          return send(200, { now: mock.clock.now(), entries: mock.cache() });
        case "GET /_cachepoint/calls":
          return send(200, { calls: mock.calls() });
        case "GET /_cachepoint/stats": {
          const m = process.memoryUsage();
          return send(200, {
            entries: mock.simulator.size,
            evictions: mock.simulator.evictions,
            calls: mock.calls().length,
            inFlight,
            memory: { rss: m.rss, heapUsed: m.heapUsed },
          });
        }
        default:
          return send(404, {
            message: `No admin route ${route}. Routes: POST /_cachepoint/clock/advance, POST /_cachepoint/reset, GET /_cachepoint/cache, GET /_cachepoint/calls, GET /_cachepoint/stats.`,
          });
      }
    } catch (e) {
      return send(400, { message: (e as Error).message });
    }
  }

  // A client that trickles its request must not hold a connection for ever (slowloris): bound how long
  // headers and bodies may take. Other connections are served meanwhile.
  const h1 = http.createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 20_000),
      // Node checks the timeouts above only this often (default 30 s): check often enough to honour them.
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(requestTimeout / 3))),
    },
    handler,
  );
  const h2 = http2.createServer(handler);
  h2.on("stream", (stream) =>
    stream.setTimeout(requestTimeout, () => stream.close(http2.constants.NGHTTP2_CANCEL)),
  );
  const sockets = new Set<Socket>();
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    // Route by the first bytes: HTTP/2 with prior knowledge opens with "PRI * HTTP/2.0".
    socket.once("data", (chunk: Buffer) => {
      socket.pause();
      const n = Math.min(chunk.length, H2_PREFACE_START.length);
      if (!chunk.subarray(0, n).equals(H2_PREFACE_START.subarray(0, n))) {
        socket.unshift(chunk);
        h1.emit("connection", socket);
        socket.resume();
        return;
      }
      // node:http2 reads a net.Socket through its native handle, so it would miss the bytes read here, and
      // over a JS stream it does not tear down cleanly after a protocol error. Give it a real socket instead:
      // pipe this connection to the h2c server's internal loopback port.
      const inner = net.connect(innerPort, "127.0.0.1");
      inner.on("error", () => socket.destroy());
      socket.on("close", () => inner.destroy());
      inner.on("close", () => socket.destroy());
      inner.write(chunk);
      socket.pipe(inner);
      inner.pipe(socket);
      socket.resume();
    });
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
    session.on("error", () => session.destroy()); // a malformed peer: drop its connection, nobody else's
    // After a protocol error node:http2 sends GOAWAY and waits for the peer to hang up; an idle session
    // (a misbehaving peer, or a client that never sends) is closed after the request timeout instead.
    session.setTimeout(requestTimeout, () => session.destroy());
  });
  h2.on("sessionError", () => {});
  await new Promise<void>((resolve, reject) => {
    h2.once("error", reject);
    h2.listen(0, "127.0.0.1", () => resolve());
  });
  const innerPort = (h2.address() as net.AddressInfo).port;
  try {
    await new Promise<void>((resolve, reject) => {
      front.once("error", reject);
      front.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (e) {
    h2.close(); // the internal h2c listener must not keep the process alive when the public port is taken
    throw e;
  }
  const address = front.address() as net.AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    host: address.address,
    mock,
    async close(graceMs = 5000) {
      front.close(); // no new connections
      const deadline = Date.now() + graceMs;
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((r) => (idle = r)),
          new Promise((r) => setTimeout(r, graceMs).unref()),
        ]);
      }
      // Let responses already written reach their clients: GOAWAY to HTTP/2 sessions, end idle HTTP/1
      // connections, and destroy only what is still open once the grace period is over.
      for (const session of sessions) session.close();
      h1.closeIdleConnections();
      const left = Math.max(100, Math.min(1000, deadline - Date.now()));
      await new Promise<void>((r) => {
        if (sockets.size === 0) return r();
        const t = setTimeout(r, left);
        t.unref();
        const check = setInterval(() => {
          if (sockets.size === 0) {
            clearInterval(check);
            clearTimeout(t);
            r();
          }
        }, 20);
        check.unref();
      });
      for (const sock of sockets) sock.destroy();
      h1.close();
      h2.close();
    },
  };
}
