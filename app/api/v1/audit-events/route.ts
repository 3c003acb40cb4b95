import { z } from "zod";
import { auditDecisionsParamSchema } from "@/lib/api-contract/audit-schemas";
import { listAuditEvents } from "@/lib/api-contract/operations";
import { listAuditEvents as list } from "@/lib/audit/list-audit-events";
import { apiRoute, validationError } from "@/lib/http/api-route";

const repeatedDecisions = z.object({ decision: auditDecisionsParamSchema });

export const GET = apiRoute(listAuditEvents, async ({ request, caller, query }) => {
  // ?decision=deny&decision=error means ?decision=deny,error: the wrapper reads only the last value of a name.
  const decisions = new URL(request.url).searchParams.getAll("decision");
  if (decisions.length > 1) {
    const parsed = repeatedDecisions.safeParse({ decision: decisions.join(",") });
    if (!parsed.success) throw validationError("query", parsed.error);
    query.decision = parsed.data.decision;
  }
  return { status: 200, body: await list(caller, query) };
});
