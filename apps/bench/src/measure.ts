import { Bench } from "tinybench";

/** One measured case: median and p99 latency in microseconds, and its ratio to the suite's baseline. */
export interface Measured {
  name: string;
  medianUs: number;
  p99Us: number;
  samples: number;
  ratio?: number;
}

/**
 * Runs cases side by side in one tinybench run and reports each median against the first case (the
 * baseline), so the numbers are comparable on any machine: ratios, not absolute timings, are the claim.
 */
export async function measure(
  cases: { name: string; fn: () => unknown }[],
  timeMs: number,
): Promise<Measured[]> {
  const bench = new Bench({ time: timeMs, warmupTime: Math.min(500, timeMs / 2) });
  for (const c of cases) bench.add(c.name, c.fn);
  await bench.run();
  const out: Measured[] = bench.tasks.map((t) => {
    const r = t.result as unknown as
      | { latency: { p50?: number; p99?: number; samples: unknown[] } }
      | undefined;
    if (!r?.latency) throw new Error(`benchmark case "${t.name}" produced no result`);
    return {
      name: t.name,
      medianUs: (r.latency.p50 ?? Number.NaN) * 1000,
      p99Us: (r.latency.p99 ?? Number.NaN) * 1000,
      samples: r.latency.samples.length,
    };
  });
  const base = out[0]!.medianUs;
  for (const m of out) m.ratio = m.medianUs / base;
  return out;
}

export function table(rows: Measured[]): string {
  const head = "| case | median (µs) | p99 (µs) | × baseline | samples |\n|---|---:|---:|---:|---:|";
  const body = rows
    .map(
      (r, i) =>
        `| ${r.name}${i === 0 ? " *(baseline)*" : ""} | ${r.medianUs.toFixed(2)} | ${r.p99Us.toFixed(2)} | ${(r.ratio ?? 1).toFixed(2)} | ${r.samples} |`,
    )
    .join("\n");
  return `${head}\n${body}`;
}

/** The result of a per-call paired comparison. */
export interface PairedCost {
  /** Median time of one A call, µs (of the middle repeat). */
  baseUs: number;
  /** What B adds to a call: median over calls of (B − A) for adjacent calls, µs; the median over repeats. */
  addedUs: number;
  /** addedUs / baseUs × 100 for each repeat, in run order. */
  repeats: number[];
  /** The median of `repeats`. */
  pct: number;
}

/**
 * Compares two async operations call by call: A and B alternate (A B, B A, …), each call timed on its own, and
 * the cost B adds is the median of the differences between adjacent calls. A GC pause or a slow stretch of the
 * machine lands on one call, or on both sides of a pair, instead of on a whole round of one side, so this resolves
 * a few microseconds where comparing rounds of many calls does not. Repeated `repeats` times after a warm-up.
 */
export async function measurePaired(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  options: { calls: number; repeats?: number; warmup?: number },
): Promise<PairedCost> {
  for (let i = 0; i < (options.warmup ?? Math.min(2000, options.calls)); i++) {
    await a();
    await b();
  }
  const n = options.calls;
  const ta = new Float64Array(n);
  const diffs = new Float64Array(n);
  const results: { baseUs: number; addedUs: number; pct: number }[] = [];
  const median = (v: Float64Array) => {
    const s = Float64Array.from(v).sort();
    return s[s.length >> 1]!;
  };
  for (let r = 0; r < (options.repeats ?? 3); r++) {
    for (let i = 0; i < n; i++) {
      let t = performance.now();
      let x: number;
      let y: number;
      if ((i & 1) === 0) {
        await a();
        x = performance.now() - t;
        t = performance.now();
        await b();
        y = performance.now() - t;
      } else {
        await b();
        y = performance.now() - t;
        t = performance.now();
        await a();
        x = performance.now() - t;
      }
      ta[i] = x;
      diffs[i] = y - x;
    }
    const baseUs = median(ta) * 1000;
    const addedUs = median(diffs) * 1000;
    results.push({ baseUs, addedUs, pct: (100 * addedUs) / baseUs });
  }
  const mid = [...results].sort((p, q) => p.pct - q.pct)[results.length >> 1]!;
  return { baseUs: mid.baseUs, addedUs: mid.addedUs, repeats: results.map((x) => x.pct), pct: mid.pct };
}
