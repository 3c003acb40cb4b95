// Deletes what the gateway no longer needs: rate-limit windows that have ended, and sessions idle past their limit.
// Every instance may run it; the deletes are idempotent, so running twice costs only a query.
import type { CounterStore } from "@/lib/gateway/counter-store";
import { SESSION_IDLE_MS, type SessionStore } from "@/lib/gateway/sessions";

type Stores = { counters: CounterStore; sessions: SessionStore };

/** One pass; returns how many counter windows and sessions were deleted. */
export async function runGatewayHousekeeping(stores: Stores, now = Date.now()): Promise<{ counters: number; sessions: number }> {
  const counters = await stores.counters.deleteExpired(now);
  const sessions = await stores.sessions.deleteIdle(now - SESSION_IDLE_MS);
  return { counters, sessions };
}

export function startGatewayHousekeeping(
  stores: Stores,
  options: { intervalMs?: number; now?: () => number; log?: (line: string) => void } = {},
): () => void {
  const now = options.now ?? Date.now;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runGatewayHousekeeping(stores, now());
    } catch (error) {
      options.log?.(`gateway housekeeping failed (retried at the next tick): ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 5 * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
