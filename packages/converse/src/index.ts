export { type ConverseLayoutOptions, converseLayout } from "./converseLayout.js";
export type { ReadResult } from "./ReadResult.js";
