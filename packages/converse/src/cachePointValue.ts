import type { ModelRules, Ttl } from "@cachepoint/core";
import type { Json } from "./json.js";

/** The `cachePoint` value to write: `ttl` only when it is not Bedrock's 5-minute default and the model offers it. */
export function cachePointValue(ttl: Ttl, rules: ModelRules | undefined): Json {
  return ttl !== "5m" && (rules === undefined || rules.ttls.includes(ttl))
    ? { type: "default", ttl }
    : { type: "default" };
}
