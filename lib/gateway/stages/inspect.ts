// Stage 2, POST: read the body (up to MAX_BODY_BYTES) and plan each message (inspect-body.ts): check it against the
// policy, forward it, or answer it. A body refused whole (413, 400) is recorded by the admit statement.
import type { AdmitRow } from "@/lib/gateway/admit";
import { bodyTooLargeAnswer, jsonAnswer } from "@/lib/gateway/answers";
import { plainAudit, type Exchange } from "@/lib/gateway/exchange";
import { inspectBody, type InboundPlan } from "@/lib/mcp/inspect-body";
import type { GatewayInstance } from "@/lib/gateway/instance";
import { StaleLookup } from "@/lib/gateway/stale-lookup";
import { admitStatement } from "@/lib/gateway/stages/admit";

/** Bodies are read whole before they are checked; larger ones are refused (413) without being read to the end. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export type MessagePlan = Extract<InboundPlan, { kind: "messages" }>;

export async function inspect(gw: GatewayInstance, ex: Exchange): Promise<MessagePlan | Response> {
  const text = await ex.request.text(MAX_BODY_BYTES);
  if (text === null) {
    await recordRefusedBody(gw, ex);
    return bodyTooLargeAnswer();
  }
  const plan = inspectBody(text, ex.version, { extraMethods: gw.extraMethods });
  if (plan.kind === "refuse") {
    await recordRefusedBody(gw, ex);
    return jsonAnswer(plan.status, plan.error);
  }
  return plan;
}

/** Records a refused body; the database failing does not change the answer. */
async function recordRefusedBody(gw: GatewayInstance, ex: Exchange): Promise<void> {
  const row: AdmitRow = { ...ex.base, ...plainAudit("(body)", "error"), upstreamStatus: null, upstreamMs: null, gatewayMs: ex.ms(), forwarded: false, call: null };
  await admitStatement(gw, ex, [row], []).catch((error: unknown) => {
    if (error instanceof StaleLookup) throw error;
  });
}
