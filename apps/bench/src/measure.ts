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

/** The result of an interleaved A/B comparison. */
export interface PairRatio {
  /** Median over rounds of mean(B) / mean(A). */
  ratio: number;
  /** Interquartile range of the per-round ratios. */
  q1: number;
  q3: number;
  medianAUs: number;
  medianBUs: number;
  rounds: number;
}

/**
 * Compares two async operations by alternating them in short rounds (A then B, then B then A, …) and taking
 * the median of the per-round ratios: drift from JIT warm-up, GC and other load affects both sides of a round
 * alike, so the ratio is stable where two sequential timings are not.
 */
export async function measurePair(
  a: () => unknown,
  b: () => unknown,
  options: { rounds: number; iterations: number },
): Promise<PairRatio> {
  const run = async (f: () => unknown) => {
    const t = performance.now();
    for (let i = 0; i < options.iterations; i++) await f();
    return ((performance.now() - t) * 1000) / options.iterations;
  };
  for (let i = 0; i < 3; i++) {
    await run(a);
    await run(b);
  }
  const ratios: number[] = [];
  const as: number[] = [];
  const bs: number[] = [];
  for (let r = 0; r < options.rounds; r++) {
    const first = r % 2 === 0;
    const x = first ? await run(a) : 0;
    const y = await run(b);
    const xa = first ? x : await run(a);
    as.push(xa);
    bs.push(y);
    ratios.push(y / xa);
  }
  const sorted = (v: number[]) => [...v].sort((p, q) => p - q);
  const at = (v: number[], q: number) => sorted(v)[Math.min(v.length - 1, Math.floor(q * v.length))]!;
  return {
    ratio: at(ratios, 0.5),
    q1: at(ratios, 0.25),
    q3: at(ratios, 0.75),
    medianAUs: at(as, 0.5),
    medianBUs: at(bs, 0.5),
    rounds: options.rounds,
  };
}
