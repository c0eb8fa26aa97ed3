import { buildLayout, type PromptLayout, resolveModel } from "@cachepoint/core";
import { CacheSimulator, createManualClock } from "@cachepoint/mock-transport";

/** Replays `count` requests through the simulator alone: requests per second and memory. */
export function simulatorSuite(count: number): { markdown: string; summary: string } {
  const model = resolveModel("us.anthropic.claude-sonnet-4-6");
  // 2,000 distinct conversations of 1–12 turns over 20 tenants: a realistic spread of prefixes.
  const pool: { layout: PromptLayout; account: string }[] = [];
  for (let c = 0; c < 2000; c++) {
    const messages = [];
    for (let t = 0; t < 1 + (c % 12); t++)
      messages.push({
        role: (t % 2 ? "assistant" : "user") as "user" | "assistant",
        content: [{ text: `c${c}t${t}`, tokens: 200 + ((c * 7 + t * 13) % 600) }],
      });
    const layout = buildLayout({ system: [{ text: `system-${c % 20}`, tokens: 4000 }], messages });
    const last = layout.blocks.length - 1;
    pool.push({
      layout: {
        ...layout,
        checkpoints: [
          { afterBlock: 0, ttl: "5m", path: "system/0", section: "system" },
          { afterBlock: last, ttl: "5m", path: layout.blocks[last]!.path, section: "messages" },
        ],
      },
      account: String(100_000_000_000 + (c % 20)),
    });
  }
  const clock = createManualClock(0);
  const sim = new CacheSimulator({ clock, maxEntries: 100_000 });
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const t = performance.now();
  let reads = 0;
  for (let i = 0; i < count; i++) {
    clock.advance(50);
    const p = pool[(i * 7919) % pool.length]!;
    const r = sim.simulate({
      accountId: p.account,
      region: "us-east-1",
      modelId: model.id,
      rules: model.rules,
      layout: p.layout,
    });
    r.commit();
    if (r.usage.cacheReadInputTokens > 0) reads++;
  }
  const seconds = (performance.now() - t) / 1000;
  global.gc?.();
  const heapMb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  const rps = count / seconds;
  const summary = `simulator: ${Math.round(rps).toLocaleString("en-US")} requests/s over ${count.toLocaleString("en-US")} requests; ${sim.size.toLocaleString("en-US")} live entries; heap +${heapMb.toFixed(1)} MiB`;
  const markdown = `## The simulator alone

\`CacheSimulator.simulate\` + \`commit\` for ${count.toLocaleString("en-US")} requests drawn from 2,000 conversations (1–12 turns, 20 tenants,
2 checkpoints each), the clock moving 50 ms per request, the entry cap at 100,000.

| requests | requests/s | live entries at the end | reads | heap change${global.gc ? " (after GC; ≤ 0 means no growth)" : ""} |
|---:|---:|---:|---:|---:|
| ${count.toLocaleString("en-US")} | ${Math.round(rps).toLocaleString("en-US")} | ${sim.size.toLocaleString("en-US")} | ${((reads / count) * 100).toFixed(1)}% | ${heapMb.toFixed(1)} MiB |
`;
  return { markdown, summary };
}
