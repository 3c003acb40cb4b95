-- CreateTable
CREATE TABLE "grants" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "grants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "grant_servers" (
    "grant_id" UUID NOT NULL,
    "server_id" UUID NOT NULL,

    CONSTRAINT "grant_servers_pkey" PRIMARY KEY ("grant_id","server_id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "server_id" UUID,
    "grant_id" UUID,
    "request_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "method" TEXT,
    "tool" TEXT,
    "decision" TEXT NOT NULL,
    "code" TEXT,
    "rule" TEXT,
    "reason" TEXT,
    "upstream_status" INTEGER,
    "gateway_ms" DOUBLE PRECISION,
    "upstream_ms" DOUBLE PRECISION,
    "argument_names" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "arguments_sha256" TEXT,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "grants_key_hash_key" ON "grants"("key_hash");

-- CreateIndex
CREATE INDEX "grants_workspace_id_idx" ON "grants"("workspace_id");

-- CreateIndex
CREATE INDEX "grant_servers_server_id_idx" ON "grant_servers"("server_id");

-- CreateIndex
CREATE INDEX "audit_events_workspace_id_at_idx" ON "audit_events"("workspace_id", "at");

-- CreateIndex
CREATE INDEX "audit_events_server_id_at_idx" ON "audit_events"("server_id", "at");

-- AddForeignKey
ALTER TABLE "grants" ADD CONSTRAINT "grants_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "grant_servers" ADD CONSTRAINT "grant_servers_grant_id_fkey" FOREIGN KEY ("grant_id") REFERENCES "grants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "grant_servers" ADD CONSTRAINT "grant_servers_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
