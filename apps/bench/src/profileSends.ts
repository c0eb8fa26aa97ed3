import { Session } from "node:inspector/promises";

/** One function of cachepoint's, and its own time (not its callees') per call of the profiled operation. */
export interface ProfiledFunction {
  readonly name: string;
  readonly file: string;
  readonly usPerCall: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Runs `op` `calls` times under V8's sampling CPU profiler and returns the self time of each function in
 * cachepoint's built packages, per call, most first; and the total of all of them. Sampling every 100 µs over many
 * calls: the profiler slows everything a little, so the shares say more than the microseconds.
 */
export async function profileSends(
  op: () => Promise<unknown>,
  calls: number,
): Promise<{ total: number; functions: ProfiledFunction[] }> {
  const session = new Session();
  session.connect();
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 100 });
    await session.post("Profiler.start");
    for (let i = 0; i < calls; i++) await op();
    const { profile } = (await session.post("Profiler.stop")) as { profile: CpuProfile };
    const selfUs = new Map<number, number>();
    for (let k = 0; k < profile.samples.length; k++) {
      const id = profile.samples[k]!;
      selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[k] ?? 0));
    }
    const byFunction = new Map<string, ProfiledFunction>();
    let total = 0;
    for (const n of profile.nodes) {
      const url = n.callFrame.url;
      const pkg = /\/packages\/([^/]+)\/dist\/([^/]+)\.js$/.exec(url);
      if (!pkg) continue;
      const us = (selfUs.get(n.id) ?? 0) / calls;
      total += us;
      const name = n.callFrame.functionName || "(anonymous)";
      const key = `${name} ${pkg[1]}/${pkg[2]}`;
      const had = byFunction.get(key);
      byFunction.set(key, { name, file: `${pkg[1]}/${pkg[2]}`, usPerCall: (had?.usPerCall ?? 0) + us });
    }
    return { total, functions: [...byFunction.values()].sort((a, b) => b.usPerCall - a.usPerCall) };
  } finally {
    await session.post("Profiler.disable").catch(() => {});
    session.disconnect();
  }
}
