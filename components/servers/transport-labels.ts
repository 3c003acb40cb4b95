import type { ServerView } from "@/lib/query-hooks/servers";

export const TRANSPORT_OPTIONS: readonly { value: ServerView["transport"]; label: string }[] = [
  { value: "auto", label: "Detect automatically (Streamable HTTP, then HTTP+SSE)" },
  { value: "streamable_http", label: "Streamable HTTP" },
  { value: "sse", label: "HTTP+SSE (legacy)" },
];

export const TRANSPORT_LABELS: Readonly<Record<ServerView["transport"], string>> = {
  auto: "Detect automatically",
  streamable_http: "Streamable HTTP",
  sse: "HTTP+SSE (legacy)",
};
