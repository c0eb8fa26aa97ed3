import { defineConfig } from "vitest/config";

// Tests run on TypeScript source: the "@cachepoint/source" export condition points every workspace
// package at its src/index.ts, so no build is needed first.
export default defineConfig({
  resolve: { conditions: ["@cachepoint/source"] },
  ssr: { resolve: { conditions: ["@cachepoint/source"] } },
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "packages/*/test/**/*.test.ts",
      "apps/*/src/**/*.test.ts",
      "apps/*/test/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "**/dist/**", "**/*.live.test.ts"],
    pool: "threads",
    reporters: ["default", "./scripts/summary-reporter.ts"],
    testTimeout: 20_000,
  },
});
