import type { CachePlan, ModelRules } from "@cachepoint/core";
import type { BodyFormat } from "./invokeModelLayout.js";
import { type Json } from "./json.js";
/**
 * Writes a plan into a copy of an Anthropic Messages body: `cache_control: {type: "ephemeral", ttl?}` on the
 * block each checkpoint closes (a string `system` or message `content` that needs one becomes a single text
 * block). Checkpoints the plan dropped are removed. Nothing the caller passed is mutated.
 * @public
 */
export declare function applyAnthropicPlan(body: Json, plan: CachePlan, rules?: ModelRules): Json;
/**
 * Writes a plan into an InvokeModel body of the given format, returning the body in the kind it came in
 * (string; bytes: a `Uint8Array` for any typed array, an `ArrayBuffer` or a `DataView`; or object). Legacy and unknown bodies come back untouched.
 * @public
 */
export declare function applyInvokeModelPlan<B>(
  body: B,
  parsed: unknown,
  format: BodyFormat,
  plan: CachePlan,
  rules?: ModelRules,
): B;
//# sourceMappingURL=applyInvokeModelPlan.d.ts.map
