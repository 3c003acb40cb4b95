import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";
import { checkPolicyText, compilePolicy, evaluate } from "@/lib/policy";
import { toFieldError } from "@/lib/policies/issue-view";
import { getServerOrThrow } from "@/lib/servers/get-server-or-throw";

export const USAGE_NOTE = "Counters show 0 used: the gateway, which records calls, is not built yet.";

/** What a policy (the active one, or unsaved text) decides for one call, without making it. */
export async function simulateCall(
  caller: Caller,
  serverId: string,
  input: { tool: string; args: Record<string, unknown>; text?: string; grant?: string },
  now = new Date(),
) {
  const server = await getServerOrThrow(caller, serverId);
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
  const decision = evaluate(compilePolicy(check.document), { tool: input.tool, args: input.args }, {
    now: now.getTime(),
    grantId: input.grant ?? "simulator",
    serverId: server.id,
    usage: () => 0,
  });
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
    usageNote: USAGE_NOTE,
  };
}
