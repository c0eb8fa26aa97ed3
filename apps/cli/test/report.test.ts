import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { cli, repo } from "./helpers.js";

// Debian's chromium (installed by .ci/run); playwright-core drives it without downloading a browser.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(executablePath);
if (!hasChromium)
  console.warn(
    `report.test: no Chromium at ${executablePath} (apt-get install chromium); the rendering checks are skipped.`,
  );

async function rendered(file: string) {
  const browser = await chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    return await page.evaluate(() =>
      [...document.querySelectorAll("svg.chart")].map((svg) => {
        const box = svg.getBoundingClientRect();
        const bars = [...svg.querySelectorAll("rect.bar")].map((r) => r.getBoundingClientRect());
        return {
          title: svg.getAttribute("aria-label"),
          width: box.width,
          height: box.height,
          bars: bars.length,
          visibleBars: bars.filter((b) => b.height > 0 && b.width > 0).length,
        };
      }),
    );
  } finally {
    await browser.close();
  }
}

describe.skipIf(!hasChromium)("HTML reports render in headless Chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), "cachepoint-report-"));

  it("track --report: latency, tokens and cost charts with a bar per request", async () => {
    const file = join(dir, "track.html");
    const r = await cli(["track", "--requests", "6", "--report", file]);
    expect(r.code, r.stderr).toBe(0);
    const charts = await rendered(file);
    expect(charts.map((c) => c.title)).toEqual([
      "Latency per request",
      "Input tokens per request",
      "Cost per request",
    ]);
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(300);
      expect(c.height).toBeGreaterThan(100);
    }
    expect(charts[0]!.visibleBars).toBe(6);
    expect(charts[1]!.visibleBars).toBeGreaterThanOrEqual(12); // read or write, plus uncached, per request
  });

  it("simulate --report: cost by strategy", async () => {
    const file = join(dir, "sim.html");
    const r = await cli(["simulate", join(repo, "examples/traces/chat.jsonl"), "--report", file]);
    expect(r.code, r.stderr).toBe(0);
    const charts = await rendered(file);
    expect(charts[0]!.title).toBe("Cost by strategy");
    expect(charts[0]!.visibleBars).toBe(6); // none, as-sent, static-prefix, conversation, auto, auto+advisor
  });
});
