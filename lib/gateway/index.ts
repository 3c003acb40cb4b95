// The gateway's pure MCP message core (no I/O). The PostgreSQL counter store is imported from its own module,
// lib/gateway/counter-store.ts, so this barrel never pulls in a database driver. See lib/gateway/README.md.
export * from "@/lib/gateway/json-rpc";
export * from "@/lib/gateway/protocol-version";
export * from "@/lib/gateway/tool-call";
export * from "@/lib/gateway/inspect-body";
export * from "@/lib/gateway/refusal";
export * from "@/lib/gateway/tools-list";
export * from "@/lib/gateway/argument-digest";
