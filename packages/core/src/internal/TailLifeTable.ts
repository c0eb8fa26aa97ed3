import type { ObservedReuse } from "../CacheAdvisor.js";

/**
 * Upper edges (ms) of the age bins a conversation tail passes through while it waits for its next turn: every
 * 15 s up to 2 minutes (where most think times fall), then 3, 4, 5, 10, 20, 40 and 60 minutes. 5m and 1h are
 * the edges the planner asks about; the bins are narrow enough that counting a tail that is still waiting as
 * half exposed in its bin (the actuarial rule) says little it should not.
 */
const edges = [
  15_000, 30_000, 45_000, 60_000, 75_000, 90_000, 105_000, 120_000, 180_000, 240_000, 300_000, 600_000,
  1_200_000, 2_400_000, 3_600_000,
] as const;
const bins = edges.length;
/** Index of the 5m edge: S(5m) is the survival after bins 0..fiveMinuteBin. */
const fiveMinuteBin = edges.indexOf(300_000);
/**
 * How much a tail waiting in each bin has told about the rest of the hour: the share of 5m–60m it has been
 * watched through (at the bin's middle age). Bins before 5m tell nothing about it.
 */
const watched = edges.map((edge, j) => {
  const start = j === 0 ? 0 : edges[j - 1]!;
  return j <= fiveMinuteBin ? 0 : ((start + edge) / 2 - 300_000) / 3_300_000;
});

/** One tail as the life table tracks it. @internal */
export interface LifeEntry {
  readonly at: number;
  /** The age bin the tail is in while it waits (`bins` once it has waited an hour). */
  bin: number;
  /** Its next turn came (or it was forgotten). */
  done: boolean;
}

/**
 * The distribution of the gap between a conversation tail and its next turn, estimated with censoring in mind
 * (an actuarial life table over fixed age bins). A tail that has not been continued yet is not evidence that it
 * never will be: it counts as at risk for the bins it has lived through and as half at risk in the one it is in.
 * Counting it as "not continued" (or counting only the returns seen so far) biases a young conversation workload
 * twice: continuation starts low, and the on-time share starts at 100% because late turns have not come back yet.
 * Ages advance with the times the caller passes; each tail crosses each edge once (amortised O(1) per tail).
 * @internal
 */
export class TailLifeTable {
  #written = 0;
  readonly #returned = new Float64Array(bins);
  readonly #waiting = new Float64Array(bins);
  #waitedHour = 0;
  #returnedAfterHour = 0;
  /** Tails in the order they were added; cursor k is the first one that has not crossed edge k yet. */
  #queue: LifeEntry[] = [];
  readonly #cursors = new Int32Array(bins);
  #now = Number.NEGATIVE_INFINITY;
  #cached: ObservedReuse | undefined;
  /** The survival past each bin's upper edge, as the cached estimate computed it. */
  readonly #survival = new Float64Array(bins);

  constructor(readonly maxWaiting = 100_000) {}

  get written(): number {
    return this.#written;
  }

  /** A tail written at `at`. */
  add(at: number): LifeEntry {
    this.advance(at);
    const entry: LifeEntry = { at, bin: 0, done: false };
    this.#queue.push(entry);
    this.#written++;
    this.#waiting[0]!++;
    this.#cached = undefined;
    if (this.#queue.length - this.#cursors[bins - 1]! > this.maxWaiting) this.#forgetOldest();
    return entry;
  }

  /** The tail's next turn came at `now`. */
  continued(entry: LifeEntry, now: number): void {
    this.advance(now);
    if (entry.done) return;
    entry.done = true;
    this.#cached = undefined;
    if (entry.bin >= bins) {
      this.#returnedAfterHour++;
      return;
    }
    this.#waiting[entry.bin]!--;
    this.#returned[entry.bin]!++;
  }

  /** Moves waiting tails across the age edges that `now` puts behind them. */
  advance(now: number): void {
    if (!(now > this.#now)) return;
    this.#now = now;
    const q = this.#queue;
    for (let k = 0; k < bins; k++) {
      const edge = edges[k]!;
      let c = this.#cursors[k]!;
      while (c < q.length && q[c]!.at + edge <= now) {
        const e = q[c++]!;
        e.bin = k + 1;
        if (e.done) continue;
        this.#waiting[k]!--;
        if (k + 1 < bins) this.#waiting[k + 1]!++;
        else this.#waitedHour++;
        this.#cached = undefined;
      }
      this.#cursors[k] = c;
    }
    const passed = this.#cursors[bins - 1]!;
    if (passed > 1024 && passed * 2 > q.length) {
      this.#queue = q.slice(passed);
      for (let k = 0; k < bins; k++) this.#cursors[k]! -= passed;
    }
  }

  /**
   * What the tails say about their next turns at `now` (or at the latest time seen): `continuation` = P(the
   * conversation goes on at all: within the hour, plus later returns among tails that waited an hour), and
   * `hitRate` = P(within 5m | it goes on), P(within 1h | it goes on). `samples` counts the tails whose fate at
   * five minutes is known, `lateSamples` how much has been seen of the rest of the hour; undefined until there
   * are `minSamples` samples.
   */
  estimate(minSamples: number, now?: number): ObservedReuse | undefined {
    if (now !== undefined) this.advance(now);
    if (!this.#cached) this.#cached = this.#compute();
    return this.#cached.samples >= minSamples ? this.#cached : undefined;
  }

  /**
   * P(a next turn that comes within the hour has come by `age` ms), from the returns seen so far: the survival up
   * to the last bin edge not past `age` (so it never overstates), over the survival's drop across the hour.
   * Undefined before any tail has come back.
   */
  returnedBy(age: number): number | undefined {
    if (!this.#cached) this.#cached = this.#compute();
    let byAge = 1;
    for (let j = 0; j < bins && edges[j]! <= age; j++) byAge = this.#survival[j]!;
    const hour = this.#survival[bins - 1]!;
    return hour < 1 ? Math.min(1, (1 - byAge) / (1 - hour)) : undefined;
  }

  #compute(): ObservedReuse {
    let atRisk = this.#written;
    let survival = 1;
    let survival5m = 1;
    for (let j = 0; j < bins; j++) {
      const waiting = this.#waiting[j]!;
      const exposed = atRisk - waiting / 2;
      if (exposed > 0) survival *= 1 - this.#returned[j]! / exposed;
      atRisk -= this.#returned[j]! + waiting;
      this.#survival[j] = survival;
      if (j === fiveMinuteBin) survival5m = survival;
    }
    const withinHour = 1 - survival;
    const later = this.#waitedHour > 0 ? this.#returnedAfterHour / this.#waitedHour : 0;
    const continuation = withinHour + survival * later;
    let young = 0;
    let late = this.#waitedHour;
    for (let j = 0; j < bins; j++) {
      if (j <= fiveMinuteBin) young += this.#waiting[j]!;
      else late += this.#returned[j]! + this.#waiting[j]! * watched[j]!;
    }
    return {
      hitRate: {
        "5m": continuation > 0 ? (1 - survival5m) / continuation : 0,
        "1h": continuation > 0 ? withinHour / continuation : 0,
      },
      continuation,
      samples: this.#written - young,
      lateSamples: late,
    };
  }

  /** Bounded memory: the oldest waiting tail leaves the table as if it had never been written. */
  #forgetOldest(): void {
    const q = this.#queue;
    for (let i = this.#cursors[bins - 1]!; i < q.length; i++) {
      const e = q[i]!;
      if (e.done) continue;
      e.done = true;
      this.#waiting[e.bin]!--;
      this.#written--;
      return;
    }
  }
}
