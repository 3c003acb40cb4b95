// Groups concurrent calls into one database statement. Up to `maxInFlight` statements run at once; calls that arrive
// while that many are in flight wait and go together in the next one. Under light load each call is sent at once
// (no timer, no added latency); under heavy load one round trip serves many calls. On this kind of machine a query
// costs the gateway far more in socket writes and wake-ups than in SQL, so this is where its throughput comes from.

export interface Batcher<I, O> {
  run(item: I): Promise<O>;
}

export function createBatcher<I, O>(
  execute: (items: readonly I[]) => Promise<readonly O[]>,
  options: { maxInFlight?: number; maxBatch?: number } = {},
): Batcher<I, O> {
  const maxInFlight = options.maxInFlight ?? 2;
  const maxBatch = options.maxBatch ?? 256;
  let queue: { item: I; resolve(value: O): void; reject(error: unknown): void }[] = [];
  let inFlight = 0;

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      inFlight++;
      execute(batch.map((b) => b.item))
        .then(
          (results) => {
            if (results.length !== batch.length) throw new Error(`A grouped statement answered ${results.length} of ${batch.length} items.`);
            batch.forEach((b, i) => b.resolve(results[i]!));
          },
          (error: unknown) => batch.forEach((b) => b.reject(error)),
        )
        .catch((error: unknown) => batch.forEach((b) => b.reject(error)))
        .finally(() => {
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
