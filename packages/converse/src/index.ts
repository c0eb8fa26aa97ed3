export { applyConversePlan, stripCachePoints } from "./applyConversePlan.js";
export { cachepoint, converseAdapter } from "./cachepoint.js";
export { type ConverseLayoutOptions, converseLayout } from "./converseLayout.js";
export { converseUsage, tapConverseStream } from "./converseUsage.js";
export {
  type CachepointPluginOptions,
  type CachepointReport,
  type CommandAdapter,
  createCachepointPlugin,
  getCachepointReport,
} from "./createCachepointPlugin.js";
export { type ConvertedChat, fromOpenAIChat, type OpenAIChatRequest } from "./fromOpenAIChat.js";
export { type MessageRead, messageRead, placeMessage } from "./messageRead.js";
export { type Prepared, type PrepareOptions, prepareConverse } from "./prepareConverse.js";
export type { ReadResult } from "./ReadResult.js";
