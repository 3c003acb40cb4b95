-- The HTTP layer of the OAuth authorization server (issue 21): the consent page and client registration.

-- 1. Consent requests. A row is one authorization request shown to a signed-in person on the consent page, with
--    everything the code will bind (client, redirect URI, PKCE challenge, resource, scope, state), so the form's POST
--    carries only the row's id, its CSRF token and the person's choice. The CSRF token is stored as its SHA-256 and is
--    bound to the session that saw the page (`session_hash`, as in user_sessions). `decided_at` is set by the first
--    decision, in the statement that reads the row, so the same consent cannot be answered twice. Rows live 10
--    minutes and are deleted by housekeeping; they hold no foreign keys, since a row outliving its user, server or
--    client is refused anyway (its session is gone, or the code cannot be issued).
CREATE TABLE "oauth_consents" (
    "id" UUID NOT NULL,
    "csrf_hash" TEXT NOT NULL,
    "session_hash" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "client_id" TEXT NOT NULL,
    "server_id" UUID NOT NULL,
    "resource" TEXT NOT NULL,
    "redirect_uri" TEXT NOT NULL,
    "code_challenge" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "state" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "oauth_consents_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "oauth_consents_expires_at_idx" ON "oauth_consents"("expires_at");

-- 2. Dynamic client registrations asked for, per client network, kept an hour: anyone may register a client, so
--    each network may register a few an hour, counted like sign-ups (sign_up_attempts).
CREATE TABLE "oauth_registration_attempts" (
    "id" BIGSERIAL NOT NULL,
    "network" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_registration_attempts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "oauth_registration_attempts_network_created_at_idx" ON "oauth_registration_attempts"("network", "created_at");
