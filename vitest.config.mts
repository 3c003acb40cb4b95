import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    include: ["lib/**/*.test.ts", "components/**/*.test.ts", "tests/**/*.test.ts"],
    environment: "node",
    env: {
      // Test upstreams run on this machine; their failures should be quick to show.
      PORTCULLIS_UPSTREAM_NETWORKS: "loopback",
      PORTCULLIS_UPSTREAM_TIMEOUT_MS: "3000",
      PORTCULLIS_ENCRYPTION_KEY: "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMDEyMzQ=",
    },
    // A fresh database per run, migrated once: real PostgreSQL, never a mock (see tests/global-setup.ts).
    globalSetup: ["tests/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
