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
    // The SDK warns on Node 20 about its 2027 releases; keep test output readable.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    reporters: ["default", "./scripts/summary-reporter.ts"],
    testTimeout: 20_000,
  },
});
