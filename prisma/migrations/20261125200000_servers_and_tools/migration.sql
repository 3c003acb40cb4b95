-- CreateTable
CREATE TABLE "mcp_servers" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "transport" TEXT NOT NULL DEFAULT 'auto',
    "detected_transport" TEXT,
    "credential_kind" TEXT NOT NULL DEFAULT 'none',
    "credential_header_names" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "credential_ciphertext" TEXT,
    "server_info" JSONB,
    "instructions" TEXT,
    "status" TEXT NOT NULL DEFAULT 'ok',
    "last_sync_at" TIMESTAMPTZ(3),
    "last_sync_error" JSONB,
    "sync_interval_minutes" INTEGER NOT NULL DEFAULT 60,
    "next_sync_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mcp_servers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tools" (
    "id" UUID NOT NULL,
    "server_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT,
    "description" TEXT,
    "input_schema" JSONB NOT NULL,
    "output_schema" JSONB,
    "annotations" JSONB,
    "definition" JSONB NOT NULL,
    "definition_hash" TEXT NOT NULL,
    "accepted_definition" JSONB NOT NULL,
    "accepted_hash" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "category" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "reasons" JSONB NOT NULL,
    "override_category" TEXT,
    "override_level" TEXT,
    "override_note" TEXT,
    "overridden_at" TIMESTAMPTZ(3),
    "overridden_by" TEXT,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tools_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tool_changes" (
    "id" UUID NOT NULL,
    "server_id" UUID NOT NULL,
    "tool_name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "detected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reviewed_at" TIMESTAMPTZ(3),
    "reviewed_by" TEXT,

    CONSTRAINT "tool_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "mcp_servers_next_sync_at_idx" ON "mcp_servers"("next_sync_at");

-- CreateIndex
CREATE UNIQUE INDEX "mcp_servers_workspace_id_name_key" ON "mcp_servers"("workspace_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "tools_server_id_name_key" ON "tools"("server_id", "name");

-- CreateIndex
CREATE INDEX "tool_changes_server_id_detected_at_idx" ON "tool_changes"("server_id", "detected_at");

-- AddForeignKey
ALTER TABLE "mcp_servers" ADD CONSTRAINT "mcp_servers_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tools" ADD CONSTRAINT "tools_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tool_changes" ADD CONSTRAINT "tool_changes_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
