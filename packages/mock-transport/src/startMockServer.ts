import http, { type IncomingMessage, type ServerResponse } from "node:http";
import http2, { type Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import net, { type Socket } from "node:net";
import { Duplex } from "node:stream";
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

/** A Duplex over `socket` whose readable side starts with `first`. */
function relay(socket: Socket, first: Buffer): Duplex {
  const duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk, encoding, callback) {
      socket.write(chunk, encoding, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(err, callback) {
      socket.destroy(err ?? undefined);
      callback(err);
    },
  });
  duplex.push(first);
  socket.on("data", (d: Buffer) => {
    if (!duplex.push(d)) socket.pause();
  });
  socket.on("end", () => duplex.push(null));
  socket.on("close", () => duplex.destroy());
  socket.on("error", (e) => duplex.destroy(e));
  return duplex;
}

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
  const mock = options.mock ?? new MockBedrock({ verifySignatures: true, ...options });
  const host = options.host ?? "127.0.0.1";
  const maxBody = options.maxBodyBytes ?? 25_000_000 + 1024;
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
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBody) {
        reject(res, 413, "ValidationException", `Request body exceeds the ${maxBody}-byte limit.`);
        req.destroy();
        return;
      }
      parts.push(chunk);
    }
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
        default:
          return send(404, {
            message: `No admin route ${route}. Routes: POST /_cachepoint/clock/advance, POST /_cachepoint/reset, GET /_cachepoint/cache, GET /_cachepoint/calls.`,
          });
      }
    } catch (e) {
      return send(400, { message: (e as Error).message });
    }
  }

  const h1 = http.createServer(handler);
  const h2 = http2.createServer(handler);
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
      // node:http2 reads a net.Socket through its native handle, which would skip the bytes already read
      // here; a JS Duplex that replays them and then relays the socket avoids that.
      h2.emit("connection", relay(socket, chunk));
    });
  });
  h2.on("sessionError", () => {});
  await new Promise<void>((resolve, reject) => {
    front.once("error", reject);
    front.listen(options.port ?? 0, host, () => resolve());
  });
  const address = front.address() as net.AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    host: address.address,
    mock,
    async close(graceMs = 5000) {
      front.close();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((r) => (idle = r)),
          new Promise((r) => setTimeout(r, graceMs).unref()),
        ]);
      }
      for (const s of sockets) s.destroy();
      h1.close();
      h2.close();
    },
  };
}
