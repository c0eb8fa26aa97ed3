export { applyConversePlan, stripCachePoints } from "./applyConversePlan.js";
export { type ConverseLayoutOptions, converseLayout } from "./converseLayout.js";
export { converseUsage, tapConverseStream } from "./converseUsage.js";
export { type Prepared, type PrepareOptions, prepareConverse } from "./prepareConverse.js";
export type { ReadResult } from "./ReadResult.js";
