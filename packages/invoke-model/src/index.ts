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
