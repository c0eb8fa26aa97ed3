export {
  type CachepointPluginOptions,
  type CachepointReport,
  getCachepointReport,
} from "@cachepoint/converse";
export { applyAnthropicPlan, applyInvokeModelPlan } from "./applyInvokeModelPlan.js";
export { cachepoint, invokeModelAdapter } from "./cachepoint.js";
export {
  type BodyFormat,
  detectBodyFormat,
  type InvokeModelLayoutOptions,
  invokeModelLayout,
  parseBody,
} from "./invokeModelLayout.js";
export { invokeModelUsage, tapInvokeModelStream } from "./invokeModelUsage.js";
export { prepareInvokeModel } from "./prepareInvokeModel.js";
//# sourceMappingURL=index.d.ts.map
