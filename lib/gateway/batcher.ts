// Groups concurrent calls into one database statement. Up to `maxInFlight` statements run at once; calls that arrive
// while that many are in flight wait and go together in the next one. Under light load each call is sent at once
// (no timer, no added latency); under heavy load one round trip serves many calls. On this kind of machine a query
// costs the gateway far more in socket writes and wake-ups than in SQL, so this is where its throughput comes from.
//
// A grouped statement holds several tenants' requests, so one request's data must never fail the others: when the
// database refuses a group for its data (see `isDataError`), the group is split in halves and each half run again,
// down to the request at fault, which alone gets the error. Every failure is logged with its SQLSTATE.
import { createLogger } from "@/lib/log/log";

const gatewayLog = createLogger("gateway");

export interface Batcher<I, O> {
  run(item: I): Promise<O>;
}

export interface BatcherOptions {
  maxInFlight?: number;
  maxBatch?: number;
  /** The statement's name in log lines. */
  name?: string;
  /** Where failures are logged (one line each); defaults to stderr. */
  log?: (line: string) => void;
}

/**
 * Whether PostgreSQL refused a statement for the data in it (SQLSTATE classes 22 data exception, 23 integrity
 * constraint violation, 54 program limit exceeded), as opposed to a failure of the database or the connection,
 * which every member of the group shares.
 */
export function isDataError(error: unknown): boolean {
  const code = sqlState(error);
  return code !== null && ["22", "23", "54"].includes(code.slice(0, 2));
}

/** The SQLSTATE of a PostgreSQL error (node-postgres sets `code`), or null. */
export function sqlState(error: unknown): string | null {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

export function createBatcher<I, O>(execute: (items: readonly I[]) => Promise<readonly O[]>, options: BatcherOptions = {}): Batcher<I, O> {
  const maxInFlight = options.maxInFlight ?? 2;
  const maxBatch = options.maxBatch ?? 256;
  const name = options.name ?? "grouped statement";
  const log = options.log ?? ((line: string) => gatewayLog.error(line));
  type Pending = { item: I; resolve(value: O): void; reject(error: unknown): void };
  let queue: Pending[] = [];
  let inFlight = 0;

  /** Runs one group; a data error splits it until the member at fault is alone. Never rejects. */
  async function settle(batch: Pending[]): Promise<void> {
    let results: readonly O[];
    try {
      results = await execute(batch.map((b) => b.item));
      if (results.length !== batch.length) throw new Error(`A grouped statement answered ${results.length} of ${batch.length} items.`);
    } catch (error) {
      const code = sqlState(error);
      const message = error instanceof Error ? error.message : String(error);
      log(`gateway: ${name} of ${batch.length} request(s) failed (SQLSTATE ${code ?? "none"}): ${message}`);
      if (batch.length > 1 && isDataError(error)) {
        const half = Math.ceil(batch.length / 2);
        await Promise.all([settle(batch.slice(0, half)), settle(batch.slice(half))]);
      } else {
        for (const b of batch) b.reject(error);
      }
      return;
    }
    batch.forEach((b, i) => b.resolve(results[i]!));
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      inFlight++;
      void settle(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return {
    run(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        pump();
      });
    },
  };
}
