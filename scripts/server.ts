// Starts Portcullis: the database (embedded when DATABASE_URL is unset), its migrations, then the Next.js app
// on a plain node:http server. Gateway requests (/gateway/<server>/mcp) go straight to the gateway handler on the
// same server, without Next's routing: that hop is the hot path. With --gateway-only, only the gateway is served
// (no console, no build needed): a gateway tier to scale on its own.
// Usage: tsx scripts/server.ts [--dev] [--gateway-only]
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import path from "node:path";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { createLogger } from "../lib/log/log";
import { parseServerOptions } from "../lib/server-options";
import { normalizeForwardedHeaders } from "../lib/http/client-address";

const dev = process.argv.includes("--dev");
const gatewayOnly = process.argv.includes("--gateway-only");
(process.env as Record<string, string>).NODE_ENV ??= dev ? "development" : "production";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
// This process sees to the database and migrations itself: instrumentation.ts leaves them alone.
process.env.PORTCULLIS_SERVER = "1";
const logger = createLogger("portcullis");
const log = (line: string) => logger.info(line);
// Set once this process has started an embedded PostgreSQL: stopped again if the start fails after that.
let embedded: EmbeddedDatabase | undefined;

async function main() {
  const options = parseServerOptions();
  if (!process.env.DATABASE_URL) {
    const dataDir = path.resolve(process.env.PORTCULLIS_DATA_DIR ?? ".data");
    log(`DATABASE_URL is not set: starting the embedded PostgreSQL (data in ${dataDir})`);
    embedded = await startEmbeddedDatabase({ dataDir, log: (l) => process.env.PORTCULLIS_DEBUG && log(`pg: ${l}`) });
    process.env.DATABASE_URL = embedded.url;
  }
  const result = await migrate(process.env.DATABASE_URL!);
  log(
    result.applied.length
      ? `applied migrations: ${result.applied.join(", ")}`
      : `database schema up to date (${result.alreadyApplied} migrations)`,
  );

  // Create the session secret now (when NEXTAUTH_SECRET is unset), before any request races to create it.
  const { authSecret, env, publicUrl } = await import("../lib/env");
  authSecret();

  // Without NEXTAUTH_URL, next-auth takes the public origin (and so whether cookies are Secure) from the
  // forwarded headers, which the server below rewrites so only trusted proxies can set them.
  if (!process.env.NEXTAUTH_URL) process.env.AUTH_TRUST_HOST ??= "true";

  const { createGatewayHandler } = await import("../lib/gateway/handler");
  const { createDatabaseGatewayDeps } = await import("../lib/gateway/stores");
  const { isGatewayPath, nodeGatewayListener } = await import("../lib/gateway/node-adapter");
  const { startGatewayHousekeeping } = await import("../lib/gateway/housekeeping");
  const { gatewayAllowedHosts } = await import("../lib/gateway/allowed-hosts");
  // One metrics registry per process; /metrics is answered below, ahead of Next.js (off without a token).
  const { processMetrics } = await import("../lib/metrics/process-metrics");
  const { isMetricsPath, metricsListener } = await import("../lib/metrics/metrics-endpoint");
  const metrics = processMetrics();
  const scrape = metricsListener(metrics.registry, { token: env.PORTCULLIS_METRICS_TOKEN });
  // Measured only when something can read it: with metrics off the gateway's hot path skips them entirely.
  const metricsServed = env.PORTCULLIS_METRICS_TOKEN !== undefined || env.PORTCULLIS_METRICS_PORT !== undefined;
  // OpenTelemetry traces of gateway calls, only with an OTLP endpoint configured: otherwise nothing of OpenTelemetry
  // is loaded and the gateway makes no span.
  const { startTracing } = await import("../lib/tracing/start-tracing");
  const { APP_VERSION } = await import("../lib/version");
  const tracing = await startTracing(env, { version: APP_VERSION, log: (line) => logger.warn(line) });
  if (tracing) log(`gateway traces exported to ${new URL(tracing.url).origin} (OTLP/HTTP)`);
  const gatewayDeps = createDatabaseGatewayDeps({
    allowedHosts: gatewayAllowedHosts(publicUrl(), options.HOST),
    ...(metricsServed ? { metrics: metrics.gateway } : {}),
    ...(tracing ? { tracing: tracing.gateway } : {}),
  });
  const gateway = nodeGatewayListener(createGatewayHandler(gatewayDeps));
  const stopHousekeeping = startGatewayHousekeeping(gatewayDeps, { log });

  // Imported only now, so Next.js sees the final environment.
  let app: { close?: () => Promise<void> } | undefined;
  let handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void = (_req, res) => {
    res.writeHead(404, { "content-type": "text/plain" }).end("This instance serves the gateway only (/gateway/<server>/mcp).\n");
  };
  let upgrade: ((req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>) | undefined;
  if (!gatewayOnly) {
    const { default: next } = await import("next");
    const nextApp = next({ dev, dir: process.cwd(), hostname: options.HOST, port: options.PORT });
    await nextApp.prepare();
    app = nextApp;
    handle = nextApp.getRequestHandler();
    upgrade = nextApp.getUpgradeHandler();
  }

  const server = createServer((req, res) => {
    normalizeForwardedHeaders(req.headers, req.socket.remoteAddress, options.TRUST_PROXY_HOPS);
    if (isGatewayPath(req.url)) gateway(req, res);
    else if (isMetricsPath(req.url)) scrape(req, res);
    else void handle(req, res);
  });
  if (upgrade) server.on("upgrade", (req, socket, head) => void upgrade(req, socket, head));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.PORT, options.HOST, resolve);
  });
  // PORTCULLIS_METRICS_PORT: /metrics without a token, on loopback only (a scraper or agent on this host).
  const metricsServer = env.PORTCULLIS_METRICS_PORT === undefined ? undefined : createServer(metricsListener(metrics.registry, { open: true }));
  if (metricsServer) {
    await new Promise<void>((resolve, reject) => {
      metricsServer.once("error", reject);
      metricsServer.listen(env.PORTCULLIS_METRICS_PORT, "127.0.0.1", resolve);
    });
    log(`metrics at http://127.0.0.1:${env.PORTCULLIS_METRICS_PORT}/metrics`);
  }
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.PORT;
  const shownHost = options.HOST === "127.0.0.1" || options.HOST === "0.0.0.0" ? "localhost" : options.HOST;
  log(
    gatewayOnly
      ? `gateway ready at http://${shownHost}:${port}/gateway/<server>/mcp`
      : `console ready at http://${shownHost}:${port} (${dev ? "development" : "production"})`,
  );

  // The catalog's snapshot, reclassification and scheduled re-syncs (lib/boot/background-work.ts): the console's
  // work, so a gateway-only tier starts none of it.
  const stopScheduler = gatewayOnly
    ? () => {}
    : await (await import("../lib/boot/background-work")).startBackgroundWork(process.env.DATABASE_URL!, { log, scheduler: process.env.PORTCULLIS_SCHEDULER !== "off" });

  // Loaded once DATABASE_URL is known (lib/env reads it), and ready before a signal arrives: the embedded database
  // starts stopping on the same signal, at once.
  const { databaseStopping } = await import("../lib/db/client");
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    databaseStopping();
    stopScheduler();
    stopHousekeeping();
    server.close();
    server.closeAllConnections();
    metricsServer?.close();
    // Outcomes of calls already answered are written before the process goes.
    await gatewayDeps.admit.flush().catch(() => {});
    // The spans still batched are sent before the process goes.
    await tracing?.shutdown().catch(() => {});
    await gatewayDeps.approvals?.waiter.close().catch(() => {});
    await gatewayDeps.approvals?.notifier?.close().catch(() => {});
    await app?.close?.().catch(() => {});
    if (embedded?.owned) await embedded.stop().catch(() => {});
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  // A closed terminal: without a handler Node would exit at once, leaving an embedded database running.
  process.on("SIGHUP", () => void stop("SIGHUP"));
}

// One sentence, no stack: start-up failures (EmbeddedDatabaseError and the like) say what to do themselves.
main().catch(async (error) => {
  logger.error(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  if (embedded?.owned) await embedded.stop().catch(() => {});
  process.exit(1);
});
