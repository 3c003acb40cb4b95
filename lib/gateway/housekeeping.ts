// Deletes what the gateway no longer needs: rate-limit windows that have ended, and sessions idle past their limit;
// and expires approvals nobody decided (or used) in time, recording each in the audit trail. Every instance may run
// it: the deletes are idempotent, and an approval expires in one guarded UPDATE, so only one instance records it.
import { randomUUID } from "node:crypto";
import type { ApprovalStore } from "@/lib/approvals/approval-store";
import type { AuditStore } from "@/lib/gateway/audit";
import type { CounterStore } from "@/lib/gateway/counter-store";
import { SESSION_IDLE_MS } from "@/lib/gateway/sessions";
import type { SessionStore } from "@/lib/gateway/types";

type Stores = { counters: CounterStore; sessions: SessionStore; audit?: AuditStore; approvals?: { store: Pick<ApprovalStore, "expire"> } };

/** One pass; returns how many counter windows and sessions were deleted and how many approvals expired. */
export async function runGatewayHousekeeping(stores: Stores, now = Date.now()): Promise<{ counters: number; sessions: number; approvals: number }> {
  const counters = await stores.counters.deleteExpired(now);
  const sessions = await stores.sessions.deleteIdle(now - SESSION_IDLE_MS);
  const expired = (await stores.approvals?.store.expire(now)) ?? [];
  if (expired.length > 0 && stores.audit) {
    await stores.audit.record(
      expired.map((a) => ({
        workspaceId: a.workspaceId,
        serverId: a.serverId,
        grantId: a.grantId,
        requestId: randomUUID(),
        method: "approval",
        tool: a.tool,
        decision: "deny",
        code: "approval_expired",
        rule: a.rule,
        reason: a.decidedBy
          ? `Approval ${a.id} (approved by ${a.decidedBy}) expired unused: no identical call came in time.`
          : `Approval ${a.id} expired: nobody decided in time.`,
        upstreamStatus: null,
        gatewayMs: null,
        upstreamMs: null,
        argumentNames: a.argumentNames,
        argumentsSha256: a.argumentsSha256,
      })),
    );
  }
  return { counters, sessions, approvals: expired.length };
}

export function startGatewayHousekeeping(
  stores: Stores,
  options: { intervalMs?: number; now?: () => number; log?: (line: string) => void } = {},
): () => void {
  const now = options.now ?? Date.now;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runGatewayHousekeeping(stores, now());
    } catch (error) {
      options.log?.(`gateway housekeeping failed (retried at the next tick): ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
