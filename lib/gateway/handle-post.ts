// POST: JSON-RPC messages from the client. Every message is decided before anything is forwarded, and the request is
// counted and recorded before the upstream sees it. The stages, in order, each in stages/:
//   authenticate (handler.ts, before this) -> inspect -> decide -> hold (a call held for approval) or admit
//   -> forward -> answer.
import type { Exchange } from "@/lib/gateway/exchange";
import type { GatewayInstance } from "@/lib/gateway/instance";
import { admit } from "@/lib/gateway/stages/admit";
import { answer, answerLocally } from "@/lib/gateway/stages/answer";
import { decide } from "@/lib/gateway/stages/decide";
import { forward } from "@/lib/gateway/stages/forward";
import { holdCall, notifyApprovers } from "@/lib/gateway/stages/hold";
import { inspect } from "@/lib/gateway/stages/inspect";
import type { Outcome } from "@/lib/gateway/stages/outcome";
import type { Hold } from "@/lib/gateway/held-call-stream";

export async function handlePost(gw: GatewayInstance, ex: Exchange): Promise<Response> {
  const plan = await inspect(gw, ex);
  if (plan instanceof Response) return plan;

  const decided = decide(gw, ex, plan);
  const outcomes = decided instanceof Promise ? await decided : decided;
  const held = heldCall(outcomes);
  if (held) return holdCall(gw, ex, held, outcomes.map((o) => o.audit), () => notifyApprovers(gw, outcomes));

  const admitted = await admit(gw, ex, outcomes);
  if (admitted instanceof Response) return admitted;
  notifyApprovers(gw, outcomes);
  if (admitted.forward.length === 0) return answerLocally(ex, admitted.local, plan.batch);

  const sent = await forward(gw, ex, admitted, plan.batch);
  if (sent instanceof Response) return sent;
  return answer(gw, ex, admitted, sent, plan.batch);
}

/** The call to hold, if any (at most one: a call is held only alone, not inside a batch). */
function heldCall(outcomes: readonly Outcome[]): Hold | undefined {
  for (const o of outcomes) if (o.hold !== undefined) return o.hold;
  return undefined;
}
