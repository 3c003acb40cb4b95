import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { notFound } from "@/lib/http/api-error";
import { checkPolicyText } from "@/lib/policy";
import { toIssueView } from "@/lib/policy-versions/issue-view";
import { toPolicyVersionSummary, toPolicyVersionView } from "@/lib/policy-versions/policy-version-view";
import { serverToolNames } from "@/lib/policy-versions/server-tool-names";
import { getServerOrThrow } from "@/lib/servers/get-server-or-throw";

export async function getPolicy(caller: Caller, serverId: string) {
  const server = await getServerOrThrow(caller, serverId);
  const active = await getPrisma().policyVersion.findFirst({ where: { serverId: server.id }, orderBy: { version: "desc" } });
  if (!active) return { active: null, warnings: [] };
  const check = checkPolicyText(active.text, { toolNames: await serverToolNames(server.id) });
  return { active: toPolicyVersionView(active), warnings: check.warnings.map(toIssueView) };
}

export async function listPolicyVersions(caller: Caller, serverId: string) {
  const server = await getServerOrThrow(caller, serverId);
  const rows = await getPrisma().policyVersion.findMany({ where: { serverId: server.id }, orderBy: { version: "desc" } });
  return rows.map(toPolicyVersionSummary);
}

export async function getPolicyVersion(caller: Caller, serverId: string, version: number) {
  const server = await getServerOrThrow(caller, serverId);
  const row = await getPrisma().policyVersion.findUnique({ where: { serverId_version: { serverId: server.id, version } } });
  if (!row) throw notFound(`Version ${version} of this policy`);
  return toPolicyVersionView(row);
}
