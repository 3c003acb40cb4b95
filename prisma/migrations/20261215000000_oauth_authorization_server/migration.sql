-- Portcullis as an OAuth 2.1 authorization server for gateway URLs (issue 21). lib/oauth/README.md explains the flow.

-- 1. OAuth clients. A client is nobody's workspace: the workspace is chosen on the consent page and kept on codes,
--    tokens and grants. `registered`: a client that registered itself (RFC 7591); its id is one Portcullis made.
--    `metadata_document`: the client id is the https URL of its Client ID Metadata Document, and the row is a cache
--    of that document until `expires_at`. A cached row is refreshed in place, never deleted when it goes stale: a
--    deleted client takes its codes and tokens with it (ON DELETE CASCADE below).
CREATE TABLE "oauth_clients" (
    "client_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "client_name" TEXT,
    "client_uri" TEXT,
    "logo_uri" TEXT,
    "redirect_uris" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "metadata" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fetched_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "oauth_clients_pkey" PRIMARY KEY ("client_id"),
    CONSTRAINT "oauth_clients_kind_check" CHECK ("kind" IN ('registered', 'metadata_document'))
);

-- 2. Authorization codes: only the SHA-256 of the code is stored. A code is bound to its client, redirect URI, PKCE
--    challenge (S256), resource (one gateway URL), grant, user and workspace, lives 60 s and is used once
--    (`used_at`). `family_id` is the family its tokens will carry, so presenting the code again revokes them.
CREATE TABLE "oauth_codes" (
    "code_hash" TEXT NOT NULL,
    "family_id" UUID NOT NULL,
    "client_id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "grant_id" UUID NOT NULL,
    "server_id" UUID NOT NULL,
    "resource" TEXT NOT NULL,
    "redirect_uri" TEXT NOT NULL,
    "code_challenge" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "oauth_codes_pkey" PRIMARY KEY ("code_hash")
);
CREATE INDEX "oauth_codes_expires_at_idx" ON "oauth_codes"("expires_at");
ALTER TABLE "oauth_codes" ADD CONSTRAINT "oauth_codes_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "oauth_clients"("client_id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oauth_codes" ADD CONSTRAINT "oauth_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oauth_codes" ADD CONSTRAINT "oauth_codes_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oauth_codes" ADD CONSTRAINT "oauth_codes_grant_id_fkey" FOREIGN KEY ("grant_id") REFERENCES "grants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oauth_codes" ADD CONSTRAINT "oauth_codes_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 3. Access and refresh tokens: only the SHA-256 of each is stored. The tokens issued from one code, and every
--    refresh token rotated from them, share a `family_id`: a refresh token used twice (`used_at` set) revokes the
--    whole family. Each token is bound to one resource (a gateway URL) and its server.
CREATE TABLE "oauth_tokens" (
    "token_hash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "family_id" UUID NOT NULL,
    "client_id" TEXT NOT NULL,
    "workspace_id" UUID NOT NULL,
    "grant_id" UUID NOT NULL,
    "server_id" UUID NOT NULL,
    "resource" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "oauth_tokens_pkey" PRIMARY KEY ("token_hash"),
    CONSTRAINT "oauth_tokens_kind_check" CHECK ("kind" IN ('access', 'refresh'))
);
CREATE INDEX "oauth_tokens_family_id_idx" ON "oauth_tokens"("family_id");
CREATE INDEX "oauth_tokens_grant_id_idx" ON "oauth_tokens"("grant_id");
CREATE INDEX "oauth_tokens_client_id_idx" ON "oauth_tokens"("client_id");
CREATE INDEX "oauth_tokens_expires_at_idx" ON "oauth_tokens"("expires_at");
ALTER TABLE "oauth_tokens" ADD CONSTRAINT "oauth_tokens_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "oauth_clients"("client_id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oauth_tokens" ADD CONSTRAINT "oauth_tokens_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oauth_tokens" ADD CONSTRAINT "oauth_tokens_grant_id_fkey" FOREIGN KEY ("grant_id") REFERENCES "grants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "oauth_tokens" ADD CONSTRAINT "oauth_tokens_server_id_fkey" FOREIGN KEY ("server_id") REFERENCES "mcp_servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 4. A grant made on the consent page names its OAuth client, so the Grants page can show it. Null for grants with
--    a static key; kept (set to null) if the client row goes.
ALTER TABLE "grants" ADD COLUMN "oauth_client_id" TEXT;
CREATE INDEX "grants_oauth_client_id_idx" ON "grants"("oauth_client_id");
ALTER TABLE "grants" ADD CONSTRAINT "grants_oauth_client_id_fkey" FOREIGN KEY ("oauth_client_id") REFERENCES "oauth_clients"("client_id") ON DELETE SET NULL ON UPDATE CASCADE;
