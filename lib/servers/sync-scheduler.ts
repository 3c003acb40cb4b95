import { getPool, getPrisma } from "@/lib/db/client";
import { syncServer } from "@/lib/servers/sync-server";
import { createLogger } from "@/lib/log/log";

// Re-syncs servers whose next_sync_at has come. Several app instances may run this: each claims a batch with
// FOR UPDATE SKIP LOCKED and pushes the claimed rows' next_sync_at forward, so no server is synced twice at once.

const syncLog = createLogger("sync");
const CLAIM_MS = 10 * 60_000;

export async function runDueSyncs(batch = 5, now = new Date()): Promise<string[]> {
  const { rows } = await getPool().query<{ id: string }>(
    `UPDATE mcp_servers SET next_sync_at = $2
      WHERE id IN (SELECT id FROM mcp_servers WHERE next_sync_at <= $1
                    ORDER BY next_sync_at LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING id`,
    [now, new Date(now.getTime() + CLAIM_MS), batch],
  );
  for (const { id } of rows) {
    const server = await getPrisma().mcpServer.findUnique({ where: { id } });
    if (server) await syncServer(server, now).catch((error: unknown) => syncLog.error("re-sync failed", { serverId: server.id, error }));
  }
  return rows.map((r) => r.id);
}

export function startSyncScheduler(intervalMs = 60_000): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      while ((await runDueSyncs()).length > 0) {
        // keep going while servers are due
      }
    } catch (error) {
      syncLog.error("scheduled re-syncs failed", { error });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  const first = setTimeout(() => void tick(), 5_000);
  first.unref();
  return () => {
    clearInterval(timer);
    clearTimeout(first);
  };
}
