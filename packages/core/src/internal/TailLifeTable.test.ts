import { describe, expect, it } from "vitest";
import { TailLifeTable } from "./TailLifeTable.js";

const MIN = 60_000;

describe("TailLifeTable", () => {
  // 20 tails written in the first 20 s: 12 come back after 30 s, 4 after 8 minutes, 4 never.
  const run = (until: number) => {
    const t = new TailLifeTable();
    const tails = Array.from({ length: 20 }, (_, i) => ({ at: i * 1000, entry: t.add(i * 1000) }));
    const events = [
      ...tails.slice(0, 12).map((x) => ({ at: x.at + 30_000, entry: x.entry })),
      ...tails.slice(12, 16).map((x) => ({ at: x.at + 8 * MIN, entry: x.entry })),
    ].sort((a, b) => a.at - b.at);
    for (const e of events) if (e.at <= until) t.continued(e.entry, e.at);
    return t.estimate(8, until);
  };

  it("says nothing until enough tails have a known fate at five minutes", () => {
    expect(run(25_000)).toBeUndefined(); // none came back yet, none has waited five minutes
    // At one minute, 12 came back and 8 wait: the waiting ones are not counted as abandoned (12 / 20).
    expect(run(60_000)!.continuation).toBeGreaterThan(0.65);
  });

  it("counts a tail still waiting as censored, not as abandoned", () => {
    // At 6 minutes the 8 others have waited past 5m: whether they come back is not known yet.
    const early = run(6 * MIN)!;
    expect(early.continuation).toBeCloseTo(12 / 20, 5); // nothing after 5m has been seen yet
    expect(early.hitRate["5m"]).toBe(1);
    expect(early.lateSamples).toBeLessThan(1); // and the estimate says how little it knows of the late part
    // After the hour: 16 of 20 came back, 12 of those within five minutes.
    const late = run(70 * MIN)!;
    expect(late.continuation).toBeCloseTo(16 / 20, 5);
    expect(late.hitRate["5m"]).toBeCloseTo(12 / 16, 5);
    expect(late.hitRate["1h"]).toBeCloseTo(1, 5);
    expect(late.lateSamples).toBe(8);
    expect(late.samples).toBe(20);
  });

  it("returns after the hour count as continued, among the tails that waited that long", () => {
    const t = new TailLifeTable();
    const entries = Array.from({ length: 10 }, (_, i) => t.add(i));
    for (const e of entries.slice(0, 5)) t.continued(e, 10_000);
    t.continued(entries[5]!, 2 * 60 * MIN);
    const o = t.estimate(8, 3 * 60 * MIN)!;
    expect(o.continuation).toBeCloseTo(0.5 + 0.5 * (1 / 5), 5);
    expect(o.hitRate["1h"]).toBeCloseTo(0.5 / 0.6, 5);
  });

  it("keeps at most maxWaiting tails waiting, forgetting the oldest", () => {
    const t = new TailLifeTable(100);
    for (let i = 0; i < 1000; i++) t.add(i);
    expect(t.written).toBe(100);
  });

  it("tells what share of the next turns that come have come by a given age", () => {
    const t = new TailLifeTable();
    const tails = Array.from({ length: 20 }, (_, i) => ({ at: i * 1000, entry: t.add(i * 1000) }));
    expect(t.returnedBy(MIN)).toBeUndefined(); // nothing came back yet
    for (const x of tails.slice(0, 12)) t.continued(x.entry, x.at + 30_000);
    t.advance(2 * 3_600_000);
    for (const x of tails.slice(12, 16)) t.continued(x.entry, x.at + 8 * MIN); // after the hour: not counted here
    expect(t.returnedBy(20_000)).toBe(0); // the first returns came in the 30–45 s bin
    expect(t.returnedBy(45_000)).toBeCloseTo(1); // every return within the hour had come by 45 s
    const late = new TailLifeTable();
    const more = Array.from({ length: 20 }, (_, i) => ({ at: i * 1000, entry: late.add(i * 1000) }));
    for (const x of more.slice(0, 12)) late.continued(x.entry, x.at + 30_000);
    for (const x of more.slice(12, 16)) late.continued(x.entry, x.at + 8 * MIN);
    late.advance(30 * MIN);
    expect(late.returnedBy(MIN)).toBeCloseTo(12 / 16, 1); // three returns in four by a minute; the rest by ten
    expect(late.returnedBy(10 * MIN)).toBeCloseTo(1);
  });
});
