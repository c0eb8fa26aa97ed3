// The plugin's report and options, so a caller of this package's cachepoint() needs no second import.
export { getCachepointReport } from "@cachepoint/converse";
export { applyAnthropicPlan, applyInvokeModelPlan } from "./applyInvokeModelPlan.js";
export { cachepoint, invokeModelAdapter } from "./cachepoint.js";
export { detectBodyFormat, invokeModelLayout, parseBody } from "./invokeModelLayout.js";
export { invokeModelUsage, tapInvokeModelStream } from "./invokeModelUsage.js";
export { prepareInvokeModel } from "./prepareInvokeModel.js";
//# sourceMappingURL=index.js.map
