import type { Caller } from "@/lib/auth/caller";
import { getPool, getPrisma } from "@/lib/db/client";
import { createCounterStore } from "@/lib/gateway/counter-store";
import { ApiError } from "@/lib/http/api-error";
import { checkPolicyText, compilePolicy, evaluate, type EvaluationContext, type LimitScope } from "@/lib/policy";
import { toFieldError } from "@/lib/policy-versions/issue-view";
import { getServerOrThrow } from "@/lib/servers/get-server-or-throw";

/** Stands in for a grant when none is chosen; never a real grant id (those are UUIDs), so it has no counts. */
const HYPOTHETICAL_GRANT = "simulator";

/** What a policy (the active one, or unsaved text) decides for one call, without making it or counting it. */
export async function simulateCall(
  caller: Caller,
  serverId: string,
  input: { tool: string; args: Record<string, unknown>; text?: string; grant?: string },
  now = new Date(),
) {
  const server = await getServerOrThrow(caller, serverId);
  if (input.grant !== undefined) await checkGrantReachesServer(caller, input.grant, server.id);
  let text = input.text;
  let policyVersion: number | null = null;
  if (text === undefined) {
    const active = await getPrisma().policyVersion.findFirst({ where: { serverId: server.id }, orderBy: { version: "desc" } });
    if (!active) throw new ApiError(409, "no_policy", "This server has no saved policy yet: save one, or send the text to simulate.");
    text = active.text;
    policyVersion = active.version;
  }
  const check = checkPolicyText(text);
  if (!check.document) {
    throw new ApiError(422, "invalid_policy", "The policy to simulate is not valid; fix its errors first.", check.errors.map(toFieldError));
  }
  const policy = compilePolicy(check.document);
  const call = { tool: input.tool, args: input.args };
  const context: EvaluationContext = { now: now.getTime(), grantId: input.grant ?? HYPOTHETICAL_GRANT, serverId: server.id, usage: () => 0 };

  // Counter keys do not depend on usage: a first evaluation names them, one read fetches their counts (a
  // hypothetical grant has none), and a second evaluation decides with them. Read only, like the gateway's usage.
  let decision = evaluate(policy, call, context);
  const counted = decision.counters.filter((c) => input.grant !== undefined || c.scope === "server").map((c) => c.key);
  if (counted.length > 0) {
    const usage = await createCounterStore(getPool()).usage(server.workspaceId, counted);
    decision = evaluate(policy, call, { ...context, usage: (key) => usage.get(key) ?? 0 });
  }

  return {
    decision: decision.decision,
    code: decision.code,
    matchedRule: decision.matchedRule,
    reason: decision.reason,
    violations: (decision.violations ?? []).map((v) => ({ arg: v.arg, path: v.path, keyword: v.keyword, message: v.message })),
    counters: decision.counters.map((c) => ({
      counter: c.counter,
      window: c.window,
      max: c.max,
      scope: c.scope,
      used: c.used,
      windowEnd: new Date(c.windowEnd).toISOString(),
    })),
    policyVersion,
    usageNote: usageNote(new Set(decision.counters.map((c) => c.scope)), input.grant !== undefined),
  };
}

/** Where the counts come from, for the counters this call involves; null when no limit applies. */
function usageNote(scopes: ReadonlySet<LimitScope>, grantChosen: boolean): string | null {
  if (scopes.size === 0) return null;
  const hypothetical = !grantChosen && scopes.has("grant");
  const sentences: string[] = [];
  if (hypothetical) sentences.push("Counters per key are for a hypothetical grant with no calls yet: choose a grant to see its usage.");
  if (!hypothetical) sentences.push("Used is the calls already counted in the current window.");
  else if (scopes.has("server")) sentences.push("Counters per server show the calls already counted in the current window.");
  sentences.push("Simulating counts nothing.");
  return sentences.join(" ");
}

/** The grant must be one of the caller's workspace that can call this server, as the gateway would accept it. */
async function checkGrantReachesServer(caller: Caller, grantId: string, serverId: string): Promise<void> {
  const grant = await getPrisma().grant.findFirst({
    where: { id: grantId, workspaceId: caller.workspaceId },
    select: { revokedAt: true, servers: { where: { serverId }, select: { serverId: true } } },
  });
  let message: string | null = null;
  if (!grant) message = "This workspace has no grant with that id: choose one of its grants.";
  else if (grant.revokedAt !== null) message = "That grant is revoked, so it can make no calls: choose an active one.";
  else if (grant.servers.length === 0) message = "That grant does not reach this server: add the server to the grant, or choose another.";
  if (message) throw new ApiError(422, "validation_failed", message, [{ path: "body.grant", message }]);
}
