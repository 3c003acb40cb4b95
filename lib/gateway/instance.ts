// What one gateway handler keeps across its requests: its dependencies and clock, the event streams it opened early,
// the calls it holds, the budget for recording refused keys, and the hosts, origins and extra methods it accepts.
import { createEarlyEventStreams, type EarlyEventStreams } from "@/lib/gateway/early-event-streams";
import { createRefusalBudget, type RefusalBudget } from "@/lib/gateway/refused-key";
import type { GatewayDeps, SessionStore } from "@/lib/gateway/types";

export interface GatewayInstance {
  deps: GatewayDeps;
  sessions: SessionStore;
  now: () => number;
  /** Upstream event streams opened right after `initialized`, until the client's GET takes them over. */
  eventStreams: EarlyEventStreams;
  /** Calls held in this process, by `heldCallKey`: a `notifications/cancelled` for one ends its hold. */
  heldCalls: Map<string, AbortController>;
  /** Requests refused for their key are recorded within a budget per server (refused-key.ts). */
  refusalBudget: RefusalBudget;
  /** Browser origins allowed besides the gateway's own. */
  allowedOrigins: ReadonlySet<string>;
  /** Host names served (bare, lower case), or null for any. */
  allowedHosts: ReadonlySet<string> | null;
  extraMethods: ReadonlySet<string>;
}

/** A host name without IPv6 brackets, lower case. */
export const bareHost = (host: string) => host.replace(/^\[|\]$/g, "").toLowerCase();

/** A held call by grant, session and JSON-RPC id. */
export const heldCallKey = (grantId: string, sessionId: string | null, id: unknown) => `${grantId}\n${sessionId ?? ""}\n${JSON.stringify(id)}`;

export function createGatewayInstance(deps: GatewayDeps): GatewayInstance {
  return {
    deps,
    sessions: deps.sessions,
    now: deps.now ?? Date.now,
    eventStreams: createEarlyEventStreams(),
    heldCalls: new Map(),
    refusalBudget: createRefusalBudget(),
    allowedOrigins: new Set(deps.allowedOrigins ?? []),
    allowedHosts: deps.allowedHosts ? new Set(deps.allowedHosts.map(bareHost)) : null,
    extraMethods: new Set(deps.extraMethods ?? []),
  };
}
