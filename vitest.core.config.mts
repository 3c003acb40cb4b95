// The pure core alone: the policy language, the risk classifier, the MCP message code and the JSON and diff helpers.
// No database, no network, no global setup: `npm run test:core` runs in seconds. `npm run test:unit` runs everything.
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    include: ["lib/{policy,risk,mcp,json,diff}/**/*.test.ts"],
    environment: "node",
  },
});
