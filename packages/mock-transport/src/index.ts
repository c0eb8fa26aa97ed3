export { defaultAccounts, type MockAccount, parseAccounts } from "./accounts.js";
export { BedrockError, type BedrockErrorName } from "./BedrockError.js";
export {
  type CacheEntryInfo,
  CacheSimulator,
  type CacheSimulatorOptions,
  type SimulatedRequest,
  type SimulationResult,
} from "./CacheSimulator.js";
export { type Clock, createManualClock, type ManualClock, systemClock } from "./Clock.js";
export { createMockClient, type MockClientOptions, mockCredentials } from "./createMockClient.js";
export { createMockRequestHandler } from "./createMockRequestHandler.js";
export { decodeFrames } from "./eventStream.js";
export { defaultLatencyModel, type LatencyModel } from "./LatencyModel.js";
export { type CallRecord, type FaultOptions, MockBedrock, type MockBedrockOptions } from "./MockBedrock.js";
export type { MockRequest, MockResponse } from "./MockRequest.js";
export type { MockOperation, MockReply, Responder, ResponderContext } from "./Responder.js";
export { type MockServer, type MockServerOptions, startMockServer } from "./startMockServer.js";
