import type { HeldCallNotice } from "@/lib/approvals/webhook";
import type { CallAudit } from "@/lib/gateway/audit";
import type { Hold } from "@/lib/gateway/held-call-stream";
import type { JsonRpcMessage, JsonRpcResponse } from "@/lib/mcp/json-rpc";
import type { CompiledPolicy } from "@/lib/policy/compile";
import type { CounterCheck, PolicyDecision } from "@/lib/policy/types";

/** What `decide` makes of one message: its audit row, and an answer, a message to forward, or a call to hold. */
export interface Outcome {
  audit: CallAudit;
  answer?: JsonRpcResponse;
  forward?: JsonRpcMessage;
  /** An allowed call under limits: forwarded only if the admit statement counts it under these. */
  count?: { checks: CounterCheck[]; decision: PolicyDecision; policy: CompiledPolicy; t: number };
  hold?: Hold;
  /** For the webhook, once the row is recorded: a new approval was opened. */
  notice?: HeldCallNotice;
}
