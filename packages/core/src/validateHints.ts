import { CachepointError } from "./CachepointError.js";
import { closestStrings } from "./internal/closestStrings.js";
import type { TrafficHints } from "./TrafficHints.js";

const ranges: Record<keyof TrafficHints, { min: number; max: number; what: string; integer?: boolean }> = {
  requestsPerMinute: { min: 0, max: Number.POSITIVE_INFINITY, what: "a rate ≥ 0 (requests per minute)" },
  contentRequestsPerMinute: { min: 0, max: Number.POSITIVE_INFINITY, what: "a rate ≥ 0 (per document)" },
  expectedReuses: { min: 0, max: Number.POSITIVE_INFINITY, what: "a count ≥ 0" },
  nextTurnProbability: { min: 0, max: 1, what: "a probability from 0 to 1" },
  turnIntervalMs: { min: 0, max: Number.POSITIVE_INFINITY, what: "milliseconds ≥ 0" },
  lateTurnShare: { min: 0, max: 1, what: "a share from 0 to 1" },
  maxTurns: { min: 1, max: Number.POSITIVE_INFINITY, what: "a whole number of turns ≥ 1", integer: true },
};
const known = Object.keys(ranges);
// The plugin passes the same hints object on every call: check each object once.
const checked = new WeakSet<object>();

/**
 * Throws `invalid-option` for traffic hints the planner would otherwise misread: an unknown key (a typo such as
 * `requestPerMinute` would silently change nothing), or a value that is not a finite number in range.
 * `planCheckpoints` calls it; the plugin calls it when it is created, so a bad hint fails at start-up.
 * @public
 */
export function validateHints(hints: unknown): void {
  if (hints === undefined) return;
  if (typeof hints !== "object" || hints === null || Array.isArray(hints)) {
    throw new CachepointError(
      "invalid-option",
      `hints must be an object such as { requestsPerMinute: 2, nextTurnProbability: 0.8 }, got ${hints === null ? "null" : Array.isArray(hints) ? "an array" : typeof hints}.`,
    );
  }
  if (checked.has(hints)) return;
  for (const [key, value] of Object.entries(hints)) {
    const range = ranges[key as keyof TrafficHints];
    if (!range) {
      throw new CachepointError(
        "invalid-option",
        `Unknown traffic hint "${key}". Known hints: ${known.join(", ")} (closest: ${closestStrings(key, known, 1)[0]}).`,
        { details: { hint: key } },
      );
    }
    if (value === undefined) continue;
    if (
      typeof value !== "number" ||
      !Number.isFinite(value) ||
      value < range.min ||
      value > range.max ||
      (range.integer && !Number.isInteger(value))
    ) {
      throw new CachepointError(
        "invalid-option",
        `hints.${key} must be ${range.what}, got ${typeof value === "number" ? String(value) : (JSON.stringify(value) ?? String(value))}.`,
        { details: { hint: key } },
      );
    }
  }
  checked.add(hints);
}
