import { HttpResponse, http, type RequestHandler } from "msw";
import type { MockBedrock } from "./MockBedrock.js";
import { requireMock } from "./requireMock.js";

/** Bedrock Runtime hosts: standard, FIPS and dual-stack, in any Region. */
const HOST =
  /^https:\/\/bedrock-runtime(?:-fips)?\.[a-z0-9-]+\.(?:amazonaws\.com(?:\.cn)?|api\.aws)\/model\//;

/**
 * msw request handlers that answer Bedrock Runtime calls with the mock. msw only sees HTTP/1.1 and fetch:
 * build the client with `requestHandler: new NodeHttpHandler()` (or `FetchHttpHandler`), because the SDK's
 * default HTTP/2 handler bypasses msw.
 * @example
 * const server = setupServer(...createMswHandlers(mock));
 * server.listen();
 * const client = new BedrockRuntimeClient({ region: "us-east-1", credentials: mockCredentials(), requestHandler: new NodeHttpHandler() });
 * @public
 */
export function createMswHandlers(
  mock: MockBedrock,
  options: { baseUrl?: string | RegExp } = {},
): RequestHandler[] {
  requireMock(mock, "createMswHandlers(…)");
  const match = options.baseUrl === undefined ? HOST : options.baseUrl;
  const predicate =
    typeof match === "string"
      ? new RegExp(`^${match.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\/$/, "")}/model/`)
      : match;
  return [
    http.post(predicate, async ({ request }) => {
      const url = new URL(request.url);
      const headers: Record<string, string> = {};
      request.headers.forEach((v, k) => {
        headers[k.toLowerCase()] = v;
      });
      if (headers.host === undefined) headers.host = url.host;
      const res = await mock.handle({
        method: request.method,
        rawPath: url.pathname + url.search,
        headers,
        body: new Uint8Array(await request.arrayBuffer()),
      });
      if (res.body instanceof Uint8Array) {
        return new HttpResponse(res.body, { status: res.status, headers: res.headers });
      }
      const frames = res.body[Symbol.asyncIterator]();
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { value, done } = await frames.next();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        async cancel() {
          await frames.return?.();
        },
      });
      return new HttpResponse(stream, { status: res.status, headers: res.headers });
    }),
  ];
}
