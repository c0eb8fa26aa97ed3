export {
  type BodyFormat,
  detectBodyFormat,
  type InvokeModelLayoutOptions,
  invokeModelLayout,
  parseBody,
} from "./invokeModelLayout.js";
