import type { McpServer } from "@/lib/generated/prisma/client";
import type { RiskLevel } from "@/lib/risk/types";

export type LevelCounts = Record<RiskLevel, number>;

export const emptyLevelCounts = (): LevelCounts => ({ low: 0, medium: 0, high: 0, critical: 0 });

/** What the API shows of a server: never its credentials, only their kind and header names. */
export function toServerView(server: McpServer, counts: { byLevel: LevelCounts; needsReview: number }) {
  const info = server.serverInfo as { name?: string; version?: string; title?: string } | null;
  return {
    id: server.id,
    name: server.name,
    url: server.url,
    transport: server.transport as "auto" | "streamable_http" | "sse",
    detectedTransport: (server.detectedTransport as "streamable_http" | "sse" | null) ?? null,
    credentials: { type: server.credentialKind as "none" | "bearer" | "headers", headerNames: server.credentialHeaderNames },
    serverInfo: info ?? null,
    status: server.status as "ok" | "error",
    lastSyncAt: server.lastSyncAt?.toISOString() ?? null,
    lastSyncError: (server.lastSyncError as { code: string; message: string } | null) ?? null,
    syncIntervalMinutes: server.syncIntervalMinutes,
    nextSyncAt: server.nextSyncAt?.toISOString() ?? null,
    toolCount: Object.values(counts.byLevel).reduce((a, b) => a + b, 0),
    toolCountsByLevel: counts.byLevel,
    needsReviewCount: counts.needsReview,
    createdAt: server.createdAt.toISOString(),
  };
}

export type ServerView = ReturnType<typeof toServerView>;
