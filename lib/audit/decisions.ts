import type { AuditDecision as WrittenDecision } from "@/lib/gateway/audit";

// What the gateway can decide for a request, as recorded in the audit trail.
export const AUDIT_DECISIONS = ["allow", "deny", "rate_limited", "require_approval", "error"] as const;
export type AuditDecision = (typeof AUDIT_DECISIONS)[number];

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// The gateway writes the rows (lib/gateway/audit.ts): this stops compiling when its list and this one part.
export const DECISIONS_MATCH_THE_GATEWAY: Same<AuditDecision, WrittenDecision> = true;
