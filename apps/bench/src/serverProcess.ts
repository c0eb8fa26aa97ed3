// Runs the mock server in its own process for the load benchmark, so the load generator does not share its
// event loop. Prints the URL on stdout, then serves until killed.
import { startMockServer } from "@cachepoint/mock-transport";

const server = await startMockServer({
  port: 0,
  maxEntries: Number(process.env.MOCK_MAX_ENTRIES ?? 10_000),
  maxCalls: 1000,
  requestTimeoutMs: Number(process.env.MOCK_REQUEST_TIMEOUT_MS ?? 30_000),
});
process.stdout.write(`${server.url}\n`);
process.on("SIGTERM", () => void server.close(2000).then(() => process.exit(0)));
