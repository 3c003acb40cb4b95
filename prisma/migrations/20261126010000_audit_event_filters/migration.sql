-- The Activity page's filters (GET /api/v1/audit-events). Without these, a filter that matches few rows (a rare
-- decision such as error, a grant or a tool seldom used, an unknown id) scans the whole workspace's trail: on 1M
-- rows, 250 ms with a sequential scan against 1.5-3 ms with the index. Insert cost was within measurement noise.

-- CreateIndex
CREATE INDEX "audit_events_grant_id_at_idx" ON "audit_events"("grant_id", "at");

-- CreateIndex
CREATE INDEX "audit_events_workspace_id_decision_at_idx" ON "audit_events"("workspace_id", "decision", "at");

-- CreateIndex
CREATE INDEX "audit_events_workspace_id_tool_at_idx" ON "audit_events"("workspace_id", "tool", "at");
