// What a console process starts once it serves requests, whichever way it was started (scripts/server.ts for
// `npm start` and `npm run dev`, instrumentation.ts for `next start`): the catalog's committed snapshot loaded when
// the database holds another one, registered servers' tools reclassified after a classifier change, and the
// scheduled re-syncs of registered servers, and the OAuth authorization server's housekeeping (expired codes, tokens
// and consent requests deleted). None of it delays the start, and a failure is told, never fatal: the catalog keeps
// what it had, and the next start tries the reclassification again.

export interface BackgroundWorkOptions {
  log: (line: string) => void;
  /** Scheduled re-syncs (off with PORTCULLIS_SCHEDULER=off, or on a gateway-only tier). */
  scheduler: boolean;
}

/** Starts the work; the function it returns stops the timers (loads already running finish on their own). */
export async function startBackgroundWork(databaseUrl: string, options: BackgroundWorkOptions): Promise<() => void> {
  const { log } = options;
  const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
  // A first load takes a second or two; readers see the old catalog or the new one, never half of it.
  void import("@/lib/catalog/ensure-catalog")
    .then(async ({ ensureCatalog, describeCatalogStart }) => log(describeCatalogStart(await ensureCatalog(databaseUrl))))
    .catch((error: unknown) => log(`the catalog snapshot was not loaded: ${message(error)} (the catalog keeps what it had)`));
  // Tools classified by another classifier version are recomputed, each moved level recorded in its server's changes;
  // until then they keep the classification they had.
  void import("@/lib/servers/reclassify-tools")
    .then(async ({ reclassifyTools, describeReclassification }) => {
      const outcome = await reclassifyTools();
      if (outcome.tools > 0) log(describeReclassification(outcome));
    })
    .catch((error: unknown) => log(`registered servers' tools were not reclassified: ${message(error)} (the next start tries again)`));
  // OAuth codes and tokens are the console's (it issues them), so its processes clean them, scheduler or not.
  const [{ startOAuthHousekeeping }, { getPool }] = await Promise.all([import("@/lib/oauth/housekeeping"), import("@/lib/db/client")]);
  const stopOAuthHousekeeping = startOAuthHousekeeping(getPool(), { log });
  if (!options.scheduler) return stopOAuthHousekeeping;
  const { startSyncScheduler } = await import("@/lib/servers/sync-scheduler");
  const stopScheduler = startSyncScheduler();
  return () => {
    stopOAuthHousekeeping();
    stopScheduler();
  };
}
