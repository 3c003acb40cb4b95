// The reference MCP server for browser tests: the same helper the integration tests use.
export { startServerEverything, type RunningUpstream } from "../../tests/support/server-everything";
