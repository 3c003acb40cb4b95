// Starts N Portcullis instances on loopback against one PostgreSQL (DATABASE_URL) and HAProxy in front of them, round
// robin, to see the gateway scale out: any instance serves any session, counts against the same limits and wakes the
// same held calls. Ctrl-C stops everything. lib/cluster/cluster.ts does the work (the cluster tests use it too).
// Usage: npm run cluster [-- --instances 3 --port 3000 --gateway-only]
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ClusterError, findHaproxy, NO_DATABASE, NO_HAPROXY, startCluster, type Cluster } from "../lib/cluster/cluster";

const USAGE = "Usage: npm run cluster [-- --instances 3 --port 3000 --gateway-only]";

async function main(): Promise<void> {
  const flags = parseFlags();
  const instances = Number(flags.instances);
  const port = Number(flags.port);
  if (!Number.isInteger(instances) || instances < 1) fail(`--instances must be a whole number, 1 or more. ${USAGE}`);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) fail(`--port must be a port number (1 to 65535). ${USAGE}`);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) fail(NO_DATABASE);
  if (!findHaproxy()) fail(NO_HAPROXY);
  const gatewayOnly = flags["gateway-only"];
  if (!gatewayOnly && !existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    fail("The instances serve the console from a production build: run `npm run build` first, or start the cluster with --gateway-only.");
  }

  // A person reads the instances' logs here: text, unless they chose a format.
  const env: Record<string, string> = {};
  if (!process.env.PORTCULLIS_LOG_FORMAT && process.stdout.isTTY) env.PORTCULLIS_LOG_FORMAT = "text";
  console.log(`starting ${instances} instance(s)${gatewayOnly ? " (gateway only)" : ""} and HAProxy...`);
  let cluster: Cluster;
  try {
    cluster = await startCluster({
      instances,
      databaseUrl: databaseUrl!,
      serverArgs: gatewayOnly ? ["--gateway-only"] : [],
      env,
      frontPort: port,
      output: (from, line) => console.log(`[${from}] ${line}`),
    });
  } catch (error) {
    fail(error instanceof ClusterError ? error.message : `The cluster could not start: ${(error as Error).message}`);
  }

  let stopping = false;
  console.log("");
  console.log(`front (HAProxy, round robin): ${cluster.frontUrl}${gatewayOnly ? "/gateway/<server>/mcp" : ""}`);
  for (const instance of cluster.instances) console.log(`instance ${instance.index}: ${instance.url} (pid ${instance.pid})`);
  console.log(`HAProxy statistics: ${cluster.statsUrl}`);
  console.log("Ctrl-C stops them all.");
  for (const instance of cluster.instances) {
    void instance.exited.then(({ code, signal }) => {
      if (!stopping) console.log(`instance ${instance.index} exited (${signal ?? `code ${code}`}): HAProxy sends its requests to the others.`);
    });
  }

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the cluster`);
    await cluster.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGHUP", () => void stop("SIGHUP"));
}

function parseFlags() {
  try {
    return parseArgs({
      options: {
        instances: { type: "string", default: "3" },
        /** HAProxy's port on 127.0.0.1: the address clients use. */
        port: { type: "string", default: "3000" },
        /** Instances serve the gateway only: no console, no build needed. */
        "gateway-only": { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}. ${USAGE}`);
  }
}

function fail(sentence: string): never {
  console.error(sentence);
  process.exit(1);
}

void main();
