import { migrate } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log/log";

/**
 * The app started by Next.js itself (`next start`): apply the migrations (safe when several instances start at once),
 * create the session secret, trust the forwarded host as scripts/server.ts does, and start the same background work
 * (lib/boot/background-work.ts: the catalog, reclassification, re-syncs). The embedded database is
 * started only by scripts/server.ts: here DATABASE_URL must name a PostgreSQL, and without one the process stops
 * with a sentence saying so rather than serving pages that all fail.
 */
export async function bootUnderNext(): Promise<void> {
  const logger = createLogger("portcullis");
  const log = (line: string) => logger.info(line);
  if (!process.env.DATABASE_URL) {
    logger.error(
      "could not start: DATABASE_URL is not set. Under `next start` set it to a PostgreSQL you run " +
        "(postgresql://...); `npm start` starts an embedded PostgreSQL instead.",
    );
    process.exit(1);
  }
  const result = await migrate(process.env.DATABASE_URL);
  log(result.applied.length ? `applied migrations: ${result.applied.join(", ")}` : `database schema up to date (${result.alreadyApplied} migrations)`);
  const { authSecret } = await import("@/lib/env");
  authSecret();
  if (!process.env.NEXTAUTH_URL) process.env.AUTH_TRUST_HOST ??= "true";
  // The same background work as under npm start: the catalog's snapshot, reclassification, scheduled re-syncs.
  const { startBackgroundWork } = await import("@/lib/boot/background-work");
  await startBackgroundWork(process.env.DATABASE_URL, { log, scheduler: process.env.PORTCULLIS_SCHEDULER !== "off" });
}
