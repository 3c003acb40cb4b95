// The pure MCP message core the gateway is built on: data in, data out, no I/O, no Next, no Prisma, and nothing in
// this folder imports one. lib/gateway/README.md ("The message core") says what each module does.
export * from "@/lib/mcp/json-rpc";
export * from "@/lib/mcp/protocol-version";
export * from "@/lib/mcp/tool-call";
export * from "@/lib/mcp/inspect-body";
export * from "@/lib/mcp/refusal";
export * from "@/lib/mcp/tools-list";
export * from "@/lib/mcp/argument-digest";
