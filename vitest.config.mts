import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // "threads" breaks Pulumi's closure serialization (trace_events is unavailable in workers).
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
