import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from "@aws-sdk/client-bedrock-runtime";
import { defaultAccounts, type MockAccount } from "./accounts.js";
import { createMockRequestHandler } from "./createMockRequestHandler.js";
import type { MockBedrock } from "./MockBedrock.js";
import { requireMock } from "./requireMock.js";

/** Options for {@link createMockClient}. @public */
export interface MockClientOptions {
  /** Default us-east-1. */
  region?: string;
  /** Which test account signs (default: the mock's first account). */
  account?: MockAccount;
  /** Default 1, so an injected fault shows up instead of being retried away. */
  maxAttempts?: number;
  /** Anything else for the client (middleware-free config only). */
  config?: Omit<BedrockRuntimeClientConfig, "requestHandler" | "credentials" | "region" | "maxAttempts">;
}

/** Static credentials of a test account. @public */
export function mockCredentials(account: MockAccount = defaultAccounts[0]!): {
  accessKeyId: string;
  secretAccessKey: string;
} {
  return { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey };
}

/**
 * A real `BedrockRuntimeClient` wired to the mock in-process: fixed Region, static test credentials,
 * `maxAttempts` 1 unless you say otherwise.
 * @example
 * const mock = new MockBedrock();
 * const client = createMockClient(mock);
 * const out = await client.send(new ConverseCommand({ modelId, system, messages }));
 * out.usage?.cacheWriteInputTokens;
 * @public
 */
export function createMockClient(mock: MockBedrock, options: MockClientOptions = {}): BedrockRuntimeClient {
  requireMock(mock, "createMockClient(…)");
  return new BedrockRuntimeClient({
    ...options.config,
    region: options.region ?? "us-east-1",
    credentials: mockCredentials(options.account ?? mock.accounts[0]),
    maxAttempts: options.maxAttempts ?? 1,
    requestHandler: createMockRequestHandler(mock),
  });
}
