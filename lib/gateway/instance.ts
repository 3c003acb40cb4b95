// What one gateway handler keeps across its requests: its dependencies and clock, the event streams it opened early,
// the calls it holds, the budget for recording refused keys, and the hosts, origins and extra methods it accepts.
import { createHash } from "node:crypto";
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
  /**
   * Cancellations that named no held call, by `heldCallKey`, for a short while: a client may cancel a call before its
   * hold is registered (its approval already exists), and the hold must still end (stages/hold.ts).
   */
  earlyCancels: EarlyCancels;
  /** Requests refused for their key are recorded within a budget per server (refused-key.ts). */
  refusalBudget: RefusalBudget;
  /** Browser origins allowed besides the gateway's own. */
  allowedOrigins: ReadonlySet<string>;
  /** Host names served (bare, lower case), or null for any. */
  allowedHosts: ReadonlySet<string> | null;
  /** Whether each URL authority seen lately names a served host (stages/authenticate.ts), at most 1,000. */
  servedAuthorities: Map<string, boolean>;
  extraMethods: ReadonlySet<string>;
}

/** A host name without IPv6 brackets, lower case. */
export const bareHost = (host: string) => host.replace(/^\[|\]$/g, "").toLowerCase();

/** A held call by grant, session and JSON-RPC id, as a digest: cancellations are told to other processes by it. */
export const heldCallKey = (grantId: string, sessionId: string | null, id: unknown) =>
  createHash("sha256").update(`${grantId}\n${sessionId ?? ""}\n${JSON.stringify(id)}`).digest("hex");

export function createGatewayInstance(deps: GatewayDeps): GatewayInstance {
  const gw: GatewayInstance = {
    deps,
    sessions: deps.sessions,
    now: deps.now ?? Date.now,
    eventStreams: createEarlyEventStreams(),
    heldCalls: new Map(),
    earlyCancels: createEarlyCancels(),
    refusalBudget: createRefusalBudget(),
    allowedOrigins: new Set(deps.allowedOrigins ?? []),
    allowedHosts: deps.allowedHosts ? new Set(deps.allowedHosts.map(bareHost)) : null,
    servedAuthorities: new Map(),
    extraMethods: new Set(deps.extraMethods ?? []),
  };
  // Behind a load balancer a client's cancellation may reach another instance than the one holding its call: each
  // instance tells the others the cancellations it cannot match (stages/hold.ts), and ends the holds it is told of.
  deps.approvals?.waiter.onCancel((key, reason) => endHeldCall(gw, key, reason));
  // Likewise a session's GET may reach another instance than the one that opened its event stream early: told so,
  // this one lets its held stream go (handle-get.ts).
  deps.approvals?.waiter.onReleaseEarlyStream((sessionHash) => gw.eventStreams.dropByHash(sessionHash));
  return gw;
}

/** Ends the held call with this key, or keeps the cancellation for it when it is not held (yet). True when held. */
export function endHeldCall(gw: GatewayInstance, key: string, reason: string): boolean {
  const held = gw.heldCalls.get(key);
  if (held) held.abort(reason);
  else gw.earlyCancels.remember(key, reason, gw.now());
  return held !== undefined;
}

/** How long a cancellation waits for its hold, and how many wait at most (the oldest go first). */
const EARLY_CANCEL_MS = 60_000;
const MAX_EARLY_CANCELS = 1_000;

export interface EarlyCancels {
  remember(key: string, reason: string, now: number): void;
  /** The reason a cancellation gave for this key, once (it is forgotten), or null. */
  take(key: string, now: number): string | null;
}

export function createEarlyCancels(): EarlyCancels {
  const cancels = new Map<string, { reason: string; at: number }>();
  return {
    remember(key, reason, now) {
      cancels.delete(key);
      if (cancels.size >= MAX_EARLY_CANCELS) cancels.delete(cancels.keys().next().value!);
      cancels.set(key, { reason, at: now });
    },
    take(key, now) {
      const found = cancels.get(key);
      if (!found) return null;
      cancels.delete(key);
      return now - found.at <= EARLY_CANCEL_MS ? found.reason : null;
    },
  };
}
