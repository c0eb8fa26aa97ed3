import { Readable } from "node:stream";
import { HttpResponse } from "@smithy/protocol-http";
import type { HttpHandlerOptions, HttpRequest, RequestHandler, RequestHandlerMetadata } from "@smithy/types";
import type { MockBedrock } from "./MockBedrock.js";
import type { MockRequest, MockResponse } from "./MockRequest.js";
import { requireMock } from "./requireMock.js";

const encoder = new TextEncoder();

/** Collects any body the SDK may hand a handler (bytes, string, Node stream, web stream, iterable) into bytes. @internal */
export async function bodyBytes(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (body instanceof Uint8Array) return body;
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // Any other typed array or a DataView: NodeHttpHandler sends its bytes as they are.
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (typeof (body as ReadableStream).getReader === "function") {
    return new Uint8Array(await new Response(body as ReadableStream).arrayBuffer());
  }
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
    const parts: Uint8Array[] = [];
    for await (const c of body as AsyncIterable<Uint8Array | string>)
      parts.push(typeof c === "string" ? encoder.encode(c) : c);
    return Buffer.concat(parts);
  }
  throw new TypeError(`Unsupported request body type: ${Object.prototype.toString.call(body)}`);
}

function rawPathOf(req: HttpRequest): string {
  const q = req.query ?? {};
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      parts.push(
        v === null ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(String(one))}`,
      );
    }
  }
  return parts.length ? `${req.path}?${parts.join("&")}` : req.path;
}

/** The SDK-facing half: turns a signed smithy `HttpRequest` into a {@link MockRequest}. @internal */
export async function toMockRequest(req: HttpRequest): Promise<MockRequest> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = String(v);
  if (headers.host === undefined && headers[":authority"] === undefined) {
    headers.host = req.port ? `${req.hostname}:${req.port}` : req.hostname;
  }
  return { method: req.method, rawPath: rawPathOf(req), headers, body: await bodyBytes(req.body) };
}

/** The body of a mock response as a Node stream, which is what the SDK's stream collectors read. @internal */
export function toReadable(body: MockResponse["body"]): Readable {
  return body instanceof Uint8Array ? Readable.from([Buffer.from(body)]) : Readable.from(body);
}

/**
 * An in-process `requestHandler` for `new BedrockRuntimeClient({ requestHandler })`: the real SDK serialises,
 * signs and parses; only the network is replaced by the mock. No sockets, no HTTP/2 caveats.
 * @example
 * const mock = new MockBedrock();
 * const client = new BedrockRuntimeClient({ region: "us-east-1", credentials: mockCredentials(), requestHandler: createMockRequestHandler(mock) });
 * @public
 */
export function createMockRequestHandler(mock: MockBedrock): RequestHandler<
  HttpRequest,
  HttpResponse,
  HttpHandlerOptions
> & {
  metadata: RequestHandlerMetadata;
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): Record<string, never>;
} {
  requireMock(mock, "createMockRequestHandler(…)");
  return {
    metadata: { handlerProtocol: "http/1.1" },
    async handle(request: HttpRequest, options?: HttpHandlerOptions) {
      if (options?.abortSignal?.aborted) {
        const e = new Error("Request aborted");
        e.name = "AbortError";
        throw e;
      }
      const res = await mock.handle(await toMockRequest(request));
      return {
        response: new HttpResponse({
          statusCode: res.status,
          headers: { ...res.headers },
          body: toReadable(res.body),
        }),
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}
