// A hostile tenant fuzzes the gateway with its own valid key while another tenant makes ordinary calls, and the
// figures are printed: statuses, 5xx answers (goal 0), the other tenant's failed calls (goal 0) and the event loop's
// longest stall (goal under 50 ms). Usage: npm run fuzz:gateway [-- --bodies 10000 --seed 1 --concurrency 8]
// It makes a fresh database (on DATABASE_URL's server, or an embedded PostgreSQL) and drops it at the end.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { migrate } from "../lib/db/migrate";
import { createTestDatabase } from "../tests/test-database";

const { values } = parseArgs({
  options: { bodies: { type: "string", default: "10000" }, seed: { type: "string", default: "20261207" }, concurrency: { type: "string", default: "8" } },
});

async function main() {
  const database = await createTestDatabase("fuzz");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "portcullis-fuzz-"));
  try {
    await migrate(database.url);
    Object.assign(process.env, {
      DATABASE_URL: database.url,
      PORTCULLIS_DATA_DIR: dataDir,
      PORTCULLIS_UPSTREAM_NETWORKS: "loopback",
      PORTCULLIS_SCHEDULER: "off",
    });
    // Imported only now: the app's modules read the environment when they load.
    const { runGatewayFuzz } = await import("../tests/support/gateway-fuzz");
    const report = await runGatewayFuzz({ bodies: Number(values.bodies), seed: Number(values.seed), concurrency: Number(values.concurrency) });
    const { getPool } = await import("../lib/db/client");
    await getPool().end();
    console.log(`bodies sent by the hostile tenant: ${report.bodies} in ${report.seconds.toFixed(1)} s`);
    console.log(`statuses: ${Object.entries(report.statuses).map(([s, n]) => `${s}: ${n}`).join(", ")}`);
    console.log(`5xx answers: ${report.serverErrors.length === 0 ? 0 : `${report.serverErrors.length}+ (goal 0)`}`);
    for (const e of report.serverErrors) console.log(`  ${e.status} ${e.body}`);
    console.log(`the other tenant's calls: ${report.legitimateCalls}, failed: ${report.legitimateFailures.length} (goal 0)`);
    for (const f of report.legitimateFailures.slice(0, 10)) console.log(`  ${f.status} ${f.text}`);
    console.log(`event loop delay during the run: max ${report.maxLoopDelayMs.toFixed(1)} ms, p99 ${report.p99LoopDelayMs.toFixed(1)} ms ` +
      `(includes garbage collection and this machine's other load)`);
    const slowest = await slowestDecisions(Number(values.bodies), Number(values.seed));
    console.log(`the gateway's own work per body (parse, inspect, decide; the fastest of 3 runs each), slowest: ` +
      `${slowest.map((s) => `${s.ms.toFixed(2)} ms (${s.chars} chars)`).join(", ")} (goal: no request over 50 ms)`);
    process.exitCode = report.serverErrors.length === 0 && report.legitimateFailures.length === 0 ? 0 : 1;
  } finally {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** What the gateway computes for each fuzzed body, timed apart from the network and the database: the slowest 3. */
async function slowestDecisions(count: number, seed: number) {
  const fc = (await import("fast-check")).default;
  const { fuzzBody, HOSTILE_POLICY } = await import("../tests/support/gateway-fuzz");
  const { inspectBody } = await import("../lib/mcp/inspect-body");
  const { argumentDigest } = await import("../lib/mcp/argument-digest");
  const { compilePolicy, evaluate, validatePolicy } = await import("../lib/policy");
  const validation = validatePolicy(HOSTILE_POLICY);
  if (!validation.ok) throw new Error("The fuzz policy is not valid.");
  const policy = compilePolicy(validation.document);
  const decide = (text: string) => {
    const t0 = performance.now();
    const plan = inspectBody(text, "2025-06-18");
    if (plan.kind === "messages") {
      for (const item of plan.items) {
        if (item.kind !== "tool_call") continue;
        argumentDigest(item.call.arguments);
        evaluate(policy, { tool: item.call.name, args: item.call.arguments }, { now: Date.now(), grantId: "g", serverId: "s", usage: () => 0 });
      }
    }
    return performance.now() - t0;
  };
  const costs = fc.sample(fuzzBody, { numRuns: count, seed }).map((text) => ({ ms: Math.min(decide(text), decide(text), decide(text)), chars: text.length }));
  return costs.sort((a, b) => b.ms - a.ms).slice(0, 3);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
