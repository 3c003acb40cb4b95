import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/api-error";
import { checkPolicyText } from "@/lib/policy";
import { toFieldError, toIssueView } from "@/lib/policy-versions/issue-view";
import { toPolicyVersionView } from "@/lib/policy-versions/policy-version-view";
import { serverToolNames } from "@/lib/policy-versions/server-tool-names";
import { getServerOrThrow } from "@/lib/servers/get-server-or-throw";

/**
 * Saves a new immutable version of a server's policy, which becomes the active one. Refused, with nothing
 * written, when the text is invalid, when one of its example calls fails, or when someone saved a newer version
 * since the edit began (`basedOn`).
 */
export async function savePolicyVersion(
  caller: Caller,
  serverId: string,
  input: { text: string; message: string; basedOn?: number | null },
  now = new Date(),
) {
  const server = await getServerOrThrow(caller, serverId);
  const check = checkPolicyText(input.text, { toolNames: await serverToolNames(server.id) });
  if (check.errors.length > 0 || !check.document) {
    const count = check.errors.length;
    throw new ApiError(
      422,
      "invalid_policy",
      count === 1 ? `The policy is not valid: ${check.errors[0]!.message}` : `The policy has ${count} errors; each is listed with its place.`,
      check.errors.map(toFieldError),
    );
  }
  if (check.testFailures.length > 0) {
    throw new ApiError(
      422,
      "policy_tests_failed",
      `The policy's examples fail, so it was not saved: ${check.testFailures[0]!.message}`,
      check.testFailures.map(toFieldError),
    );
  }

  const saved = await getPrisma().$transaction(async (tx) => {
    // One save at a time per server: the row lock orders concurrent saves so version numbers never collide.
    await tx.$queryRaw`SELECT id FROM mcp_servers WHERE id = ${server.id}::uuid FOR UPDATE`;
    const latest = await tx.policyVersion.findFirst({ where: { serverId: server.id }, orderBy: { version: "desc" }, select: { version: true } });
    const current = latest?.version ?? 0;
    if (input.basedOn !== undefined && input.basedOn !== null && input.basedOn !== current) {
      throw new ApiError(
        409,
        "policy_changed",
        `Version ${current} was saved after the version ${input.basedOn} you started from. Review it, then apply your changes to it: nothing was overwritten.`,
      );
    }
    return tx.policyVersion.create({
      data: {
        serverId: server.id,
        version: current + 1,
        document: check.document as unknown as Prisma.InputJsonValue,
        text: input.text,
        message: input.message,
        createdBy: caller.email,
        createdAt: now,
      },
    });
  });
  return {
    saved: toPolicyVersionView(saved),
    warnings: check.warnings.map(toIssueView),
    tests: { passed: check.tests?.passed ?? 0, failed: check.tests?.failed ?? 0 },
  };
}
