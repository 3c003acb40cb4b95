-- Human approval of held calls (issue 6).

-- 1. One row per call a `require_approval` rule holds. The argument values are kept for the approvers to read while
--    a decision can still matter, and erased (set to NULL) once the approval is final: used, rejected, expired or
--    withdrawn (`closed_at` says when). The audit trail never gets them. `reason` is the rule's own reason, for people. An approval is bound to its grant, server, tool and the SHA-256 of
--    its canonical arguments, and is used at most once (status approved -> used, in one guarded UPDATE).
CREATE TABLE "approvals" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "server_id" UUID NOT NULL,
    "grant_id" UUID NOT NULL,
    "tool" TEXT NOT NULL,
    "arguments" JSONB,
    "argument_names" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "arguments_sha256" TEXT NOT NULL,
    "rule" TEXT,
    "reason" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "waiting_until" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_at" TIMESTAMPTZ(3),
    "decided_by" TEXT,
    "note" TEXT,
    "used_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "approvals_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "approvals_workspace_id_status_created_at_idx" ON "approvals"("workspace_id", "status", "created_at");
CREATE INDEX "approvals_grant_id_server_id_tool_arguments_sha256_idx" ON "approvals"("grant_id", "server_id", "tool", "arguments_sha256");
CREATE INDEX "approvals_status_expires_at_idx" ON "approvals"("status", "expires_at");
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_grant_id_fkey" FOREIGN KEY ("grant_id") REFERENCES "grants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 2. Every status change is announced on the channel `portcullis_approvals` (payload: the approval id), so the
--    gateway instance holding the call learns of a decision at once, whichever instance or console made it.
CREATE FUNCTION portcullis_notify_approval() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('portcullis_approvals', NEW.id::text);
  RETURN NULL;
END $$;

CREATE TRIGGER approvals_notify AFTER UPDATE OF "status" ON "approvals"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION portcullis_notify_approval();

-- 3. A workspace's optional webhook, told when a call is held. The URL often carries a secret (Slack's do), so it is
--    stored sealed (AES-256-GCM) with only its origin in clear for display.
ALTER TABLE "workspaces" ADD COLUMN "approval_webhook_ciphertext" TEXT;
ALTER TABLE "workspaces" ADD COLUMN "approval_webhook_origin" TEXT;
