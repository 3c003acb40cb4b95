import { describe, expect, it } from "vitest";
import { classifyAll } from "@/lib/catalog/load-snapshot";
import { parseSnapshot } from "@/lib/catalog/parse-snapshot";
import { readSnapshot } from "@/lib/catalog/read-snapshot";

// Parsing and classifying the committed snapshot takes seconds of one core in the app's own process; between servers
// it gives way, so requests that arrive meanwhile are served (yield-to-event-loop.ts). Shown by order, not by time:
// callbacks queued after the work began run before it ends, many times over.
describe("loading the catalog gives way to other work", () => {
  async function turnsTaken(work: () => Promise<unknown>): Promise<number> {
    let turns = 0;
    let done = false;
    const tick = () => {
      if (done) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    await work();
    done = true;
    return turns;
  }

  it("between the snapshot's files and between servers' classifications", async () => {
    const snapshot = (await readSnapshot())!;
    expect(snapshot.files.length).toBeGreaterThan(50);
    let parsed: Awaited<ReturnType<typeof parseSnapshot>> | undefined;
    expect(await turnsTaken(async () => (parsed = await parseSnapshot(snapshot.files)))).toBeGreaterThanOrEqual(snapshot.files.length - 1);
    const listed = parsed!.servers.filter((s) => s.listing).length;
    expect(await turnsTaken(() => classifyAll(parsed!.servers))).toBeGreaterThanOrEqual(listed - 1);
  });
});
