import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import {
  createMockClient,
  defaultAccounts,
  type MockAccount,
  MockBedrock,
  mockCredentials,
  startMockServer,
} from "@cachepoint/mock-transport";
import { createMswHandlers } from "@cachepoint/mock-transport/msw";
import { FetchHttpHandler } from "@smithy/fetch-http-handler";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { setupServer } from "msw/node";

/** One way into the mock, with a client factory and teardown. */
export interface FrontEnd {
  name: string;
  mock: MockBedrock;
  client(account?: MockAccount): BedrockRuntimeClient;
  close(): Promise<void>;
}

export async function inProcess(): Promise<FrontEnd> {
  const mock = new MockBedrock();
  return {
    name: "in-process requestHandler",
    mock,
    client: (account) => createMockClient(mock, account ? { account } : {}),
    close: async () => {},
  };
}

export async function viaMsw(handler: "node" | "fetch"): Promise<FrontEnd> {
  const mock = new MockBedrock({ verifySignatures: true });
  const server = setupServer(...createMswHandlers(mock));
  server.listen({ onUnhandledRequest: "error" });
  return {
    name: `msw + ${handler === "node" ? "NodeHttpHandler" : "FetchHttpHandler"}`,
    mock,
    client: (account = defaultAccounts[0]!) =>
      new BedrockRuntimeClient({
        region: "us-east-1",
        credentials: mockCredentials(account),
        maxAttempts: 1,
        requestHandler: handler === "node" ? new NodeHttpHandler() : new FetchHttpHandler(),
      }),
    close: async () => server.close(),
  };
}

export async function viaServer(protocol: "h2" | "h1"): Promise<FrontEnd> {
  const server = await startMockServer();
  const clients: BedrockRuntimeClient[] = [];
  return {
    name: `server, ${protocol === "h2" ? "SDK default (HTTP/2, h2c)" : "NodeHttpHandler (HTTP/1.1)"}`,
    mock: server.mock,
    client: (account = defaultAccounts[0]!) => {
      const c = new BedrockRuntimeClient({
        region: "us-east-1",
        endpoint: server.url,
        credentials: mockCredentials(account),
        maxAttempts: 1,
        ...(protocol === "h1" && { requestHandler: new NodeHttpHandler() }),
      });
      clients.push(c);
      return c;
    },
    close: async () => {
      for (const c of clients) c.destroy();
      await server.close(1000);
    },
  };
}
