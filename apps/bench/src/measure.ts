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
