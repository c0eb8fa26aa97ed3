/** Where the simulator reads the time from. Tests use a manual clock; nothing in the mock sleeps. @public */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** A clock that only moves when told to. @public */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms` and returns the new time. */
  advance(ms: number): number;
  set(epochMs: number): void;
}

/** The real time. @public */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A manual clock starting at `start` (default 2026-01-01T00:00:00Z, so runs are reproducible).
 * @public
 */
export function createManualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError(`advance() takes a number of milliseconds ≥ 0, got ${ms}`);
      t += ms;
      return t;
    },
    set(epochMs: number) {
      if (!Number.isFinite(epochMs)) throw new RangeError(`set() takes epoch milliseconds, got ${epochMs}`);
      t = epochMs;
    },
  };
}
