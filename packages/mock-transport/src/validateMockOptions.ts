import { CachepointError } from "@cachepoint/core";
import type { MockBedrockOptions } from "./MockBedrock.js";

type Check = (v: unknown) => string | undefined;

const wholeAtLeast =
  (min: number): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min ? undefined : `a whole number ≥ ${min}`;
const numberAtLeast0: Check = (v) =>
  typeof v === "number" && Number.isFinite(v) && v >= 0 ? undefined : "a number ≥ 0";
const probability: Check = (v) =>
  typeof v === "number" && v >= 0 && v <= 1 ? undefined : "a probability from 0 to 1";
const object: Check = (v) => (typeof v === "object" && v !== null ? undefined : "an object");
const fn: Check = (v) => (typeof v === "function" ? undefined : "a function");
const bool: Check = (v) => (typeof v === "boolean" ? undefined : "true or false");
const text: Check = (v) => (typeof v === "string" && v !== "" ? undefined : "a non-empty string");
const list: Check = (v) => (Array.isArray(v) && v.length > 0 ? undefined : "a non-empty array of accounts");
const clock: Check = (v) =>
  typeof v === "object" && v !== null && typeof (v as { now?: unknown }).now === "function"
    ? undefined
    : "a Clock (createManualClock() or systemClock)";

const checks: Record<keyof MockBedrockOptions, Check> = {
  clock,
  accounts: list,
  verifySignatures: bool,
  region: text,
  models: object,
  counter: object,
  maxEntries: wholeAtLeast(1),
  latency: object,
  realTimeScale: numberAtLeast0,
  faults: object,
  seed: (v) => (Number.isInteger(v) ? undefined : "a whole number"),
  responder: fn,
  maxCalls: wholeAtLeast(1),
  streamCacheDetails: bool,
};
const latencyKeys = [
  "baseMs",
  "perInputTokenMs",
  "perCacheWriteTokenMs",
  "perCacheReadTokenMs",
  "perOutputTokenMs",
];
const faultKeys = ["throttling", "internalError", "serviceUnavailable", "modelNotReady", "midStream"];

/**
 * Checks the mock's options when it is made. A test harness that misspells an option (`maxEntry`, a latency of
 * `"fast"`, a fault rate of 5) would otherwise run against a mock that silently behaves differently from what the
 * test says; here it fails at once, naming the option and what it takes.
 * @throws CachepointError `invalid-option`
 */
export function validateMockOptions(options: MockBedrockOptions): void {
  if (typeof options !== "object" || options === null) {
    throw invalid(
      `new MockBedrock(options) takes an options object; got ${options === null ? "null" : typeof options}.`,
    );
  }
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const check = checks[key as keyof MockBedrockOptions];
    if (!check) throw invalid(`Unknown option "${key}". Known options: ${Object.keys(checks).join(", ")}.`);
    const wanted = check(value);
    if (wanted) throw invalid(`${key} must be ${wanted}; got ${show(value)}.`);
  }
  nested("latency", options.latency, latencyKeys, numberAtLeast0);
  nested("faults", options.faults, faultKeys, probability);
}

function nested(name: string, value: object | undefined, keys: readonly string[], check: Check): void {
  if (value === undefined) return;
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (!keys.includes(key)) throw invalid(`Unknown ${name} option "${key}". Known: ${keys.join(", ")}.`);
    const wanted = check(v);
    if (wanted) throw invalid(`${name}.${key} must be ${wanted}; got ${show(v)}.`);
  }
}

const invalid = (message: string) => new CachepointError("invalid-option", `MockBedrock: ${message}`);

const show = (v: unknown): string =>
  typeof v === "string"
    ? `"${v}"`
    : typeof v === "object"
      ? Array.isArray(v)
        ? "an array"
        : "an object"
      : String(v);
