// Writing a request refused for its key into the trail of the server its URL names, within the per-server budget
// (refused-key.ts says why there is one).
import type { GatewayInstance } from "@/lib/gateway/instance";
import { describeRefusedRequest, REFUSED_KEY_REASONS } from "@/lib/gateway/refused-key";
import type { GatewayRequest, RefusedKey } from "@/lib/gateway/types";

/** What a request refused for its key asked for, and how many before it were over the recording budget. */
export interface RefusedRequest {
  method: string;
  tool: string | null;
  skipped: number;
}

/**
 * What a request refused for its key asked for, or null when its server is over the budget (then it is only
 * counted). Read before answering: node discards the rest of a body once the answer is sent.
 */
export async function describeRefusal(gw: GatewayInstance, request: GatewayRequest, serverId: string): Promise<RefusedRequest | null> {
  const slot = gw.refusalBudget.take(serverId, gw.now());
  if (slot === null) return null;
  const body = request.method === "POST" ? await request.text(64 * 1024).catch(() => null) : null;
  return { ...describeRefusedRequest(request.method, body), skipped: slot.skipped };
}

export function recordRefusedKey(
  gw: GatewayInstance,
  server: { id: string; workspaceId: string },
  refused: RefusedKey,
  described: RefusedRequest,
  requestId: string,
  gatewayMs: number,
): Promise<void> {
  gw.deps.metrics?.decided(server.id, described.method, "deny");
  const skipped = described.skipped > 0 ? ` Another ${described.skipped} such request(s) to this server since the previous one were over the recording budget and are not listed.` : "";
  return gw.deps.audit.record([
    {
      workspaceId: server.workspaceId, serverId: server.id, grantId: refused.grantId, requestId, method: described.method, tool: described.tool,
      decision: "deny", code: refused.code, rule: null, reason: `${REFUSED_KEY_REASONS[refused.code]} Answered 401.${skipped}`,
      upstreamStatus: null, gatewayMs, upstreamMs: null, argumentNames: [], argumentsSha256: null,
    },
  ]);
}
