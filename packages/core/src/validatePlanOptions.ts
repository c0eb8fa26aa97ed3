import { CachepointError } from "./CachepointError.js";
import type { PlanOptions } from "./planCheckpoints.js";
import { validateHints } from "./validateHints.js";

const strategies: ReadonlySet<string> = new Set(["auto", "static-prefix", "conversation", "manual"]);
const knownTtls: ReadonlySet<string> = new Set(["5m", "1h", "30m"]);

/**
 * Throws `invalid-option` for a strategy, TTL or traffic hint the planner does not know. `planCheckpoints` calls
 * it on every plan; the plugin calls it once, when it is made, so a typo fails at start-up.
 * @public
 */
export function validatePlanOptions(options: {
  readonly strategy?: PlanOptions["strategy"] | undefined;
  readonly ttl?: PlanOptions["ttl"] | undefined;
  readonly hints?: PlanOptions["hints"] | undefined;
}): void {
  if (options.strategy !== undefined && !strategies.has(options.strategy)) {
    throw new CachepointError(
      "invalid-option",
      `Unknown strategy "${String(options.strategy)}"; use auto, static-prefix, conversation or manual.`,
    );
  }
  if (options.ttl !== undefined && !knownTtls.has(options.ttl)) {
    throw new CachepointError(
      "invalid-option",
      `Unknown ttl "${String(options.ttl)}"; use "5m" or "1h" ("30m" where the model offers it).`,
    );
  }
  validateHints(options.hints);
}
