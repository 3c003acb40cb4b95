-- Sessions that end on the server, and a throttle on sign-ups (issue 16).

-- 1. One row per signed-in session. The session cookie carries a random id; only its SHA-256 digest is stored. A
--    request's session counts only while its row is here, not revoked and not expired, so a sign-out or "sign out
--    everywhere" holds on every instance at once. Expired rows are deleted at sign-in (expires_at index).
CREATE TABLE "user_sessions" (
    "id_hash" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "user_sessions_pkey" PRIMARY KEY ("id_hash")
);
CREATE INDEX "user_sessions_user_id_idx" ON "user_sessions"("user_id");
CREATE INDEX "user_sessions_expires_at_idx" ON "user_sessions"("expires_at");
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 2. Sign-ups asked for, by client network (an IPv4 address, or an IPv6 /64), for the per-network hourly limit.
CREATE TABLE "sign_up_attempts" (
    "id" BIGSERIAL NOT NULL,
    "network" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sign_up_attempts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "sign_up_attempts_network_created_at_idx" ON "sign_up_attempts"("network", "created_at");
