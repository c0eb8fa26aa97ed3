import { UsageError } from "./UsageError.js";

/** Parses a duration flag: `500ms`, `30s`, `6m`, `1h`, or a bare number of seconds. */
export function parseDuration(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(value.trim());
  if (!m) throw new UsageError(`${flag} takes a duration such as 30s, 6m or 1h (got "${value}")`);
  const n = Number(m[1]);
  const unit = m[2] ?? "s";
  return Math.round(n * (unit === "ms" ? 1 : unit === "s" ? 1000 : unit === "m" ? 60_000 : 3_600_000));
}

/** Parses a whole-number flag within bounds. */
export function parseIntFlag(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag} takes a whole number from ${min} to ${max} (got "${value}")`);
  return n;
}

/** Parses a non-negative number flag. */
export function parseNumberFlag(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} takes a number ≥ 0 (got "${value}")`);
  return n;
}

export function parseChoice<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value))
    throw new UsageError(`${flag} must be one of ${choices.join(", ")} (got "${value}")`);
  return value as T;
}
