import { randomBytes } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import { readOrCreateSecret } from "@/lib/fs/read-or-create-secret";
import { parseExtraMethods } from "@/lib/mcp/mcp-methods";
import { UPSTREAM_NETWORKS, type UpstreamNetworks } from "@/lib/upstream/address-policy";

// The environment is parsed once, here. The rest of the code imports `env` and never reads process.env.
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .url("DATABASE_URL must be a postgres:// URL")
    .refine((v) => /^postgres(ql)?:\/\//.test(v), "DATABASE_URL must start with postgres:// or postgresql://")
    .optional(),
  /** Where the embedded database, the generated auth secret and other local state live. */
  PORTCULLIS_DATA_DIR: z.string().default(".data"),
  /** Signs session cookies. Generated on first start and kept in the data folder when unset. */
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters").optional(),
  /** The console's public URL, when a proxy in front does not forward the host (next-auth reads it too). */
  NEXTAUTH_URL: z.string().optional(),
  /** Key for upstream credentials (AES-256-GCM), 32 bytes as base64. Generated into the data folder when unset. */
  PORTCULLIS_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, "base64").length === 32, "PORTCULLIS_ENCRYPTION_KEY must be 32 bytes encoded as base64 (openssl rand -base64 32)")
    .optional(),
  /** Which networks upstream MCP servers may be on: public (default in production), loopback (default in development), private or any. */
  PORTCULLIS_UPSTREAM_NETWORKS: z.enum(UPSTREAM_NETWORKS).optional(),
  /** How long discovering an upstream's tools may take. */
  PORTCULLIS_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(500).max(300_000).default(20_000),
  /** Sign-ups one client network (an IPv4 address, an IPv6 /64) may ask for in an hour. */
  PORTCULLIS_SIGNUPS_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(5),
  /** Size of the database connection pool of one app instance. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Connections of one instance the public catalog's reads may hold at once, apart from the pool above: anonymous
   * searches queue for these and never for the gateway's.
   */
  CATALOG_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(2),
  /** The longest a public catalog statement may run before PostgreSQL cancels it. */
  CATALOG_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /** Methods the gateway forwards besides MCP's own, comma-separated (a vendor's extension). Look-alikes of MCP methods are refused. */
  PORTCULLIS_GATEWAY_EXTRA_METHODS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parseExtraMethods(value);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** Serves /metrics (Prometheus) to scrapers sending `Authorization: Bearer <token>`. Unset: /metrics answers 404. */
  PORTCULLIS_METRICS_TOKEN: z.string().min(32, "PORTCULLIS_METRICS_TOKEN must be at least 32 characters (openssl rand -hex 32)").optional(),
  /** Also serves /metrics without a token on this port, bound to 127.0.0.1 only (for a scraper on the same host). */
  PORTCULLIS_METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  /**
   * OpenTelemetry traces of gateway calls go to this OTLP/HTTP collector (its base URL: spans are posted to
   * <url>/v1/traces, as JSON). Unset, with OTEL_EXPORTER_OTLP_TRACES_ENDPOINT unset too: no tracing at all.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint("OTEL_EXPORTER_OTLP_ENDPOINT"),
  /** The full URL spans are posted to, when it is not OTEL_EXPORTER_OTLP_ENDPOINT's /v1/traces (it wins over that). */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlpEndpoint("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
  /** The service name on exported spans (default portcullis). */
  OTEL_SERVICE_NAME: z.preprocess(emptyAsUnset, z.string().optional()),
  /** The origin agents reach Portcullis on (https://portcullis.example.com), for gateway URLs. Unset: the console's own. */
  PORTCULLIS_PUBLIC_URL: z
    .string()
    .refine(isHttpOrigin, "PORTCULLIS_PUBLIC_URL must be an http:// or https:// origin without a path, such as https://portcullis.example.com")
    .transform((v) => new URL(v).origin)
    .optional(),
});

/** OpenTelemetry treats an empty variable as unset. */
function emptyAsUnset(value: unknown): unknown {
  return value === "" ? undefined : value;
}

function otlpEndpoint(name: string) {
  const isHttpUrl = (v: string) => URL.canParse(v) && ["http:", "https:"].includes(new URL(v).protocol);
  return z.preprocess(emptyAsUnset, z.string().refine(isHttpUrl, `${name} must be an http:// or https:// URL, such as http://localhost:4318`).optional());
}

function isHttpOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === "http:" || url.protocol === "https:") && url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
}

export type Env = z.infer<typeof schema>;

function parse(): Env {
  const result = schema.safeParse(process.env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

export const env: Env = parse();

export function dataDir(): string {
  return path.resolve(env.PORTCULLIS_DATA_DIR);
}

let cachedSecret: string | undefined;

/** The session-signing secret: NEXTAUTH_SECRET, or one generated once and kept (mode 0600) in the data folder. */
export function authSecret(): string {
  if (env.NEXTAUTH_SECRET) return env.NEXTAUTH_SECRET;
  cachedSecret ??= readOrCreateSecret(path.join(dataDir(), "auth-secret"), () => randomBytes(32).toString("base64url"));
  return cachedSecret;
}

/** Where upstream servers may be: the operator's setting, else loopback in development and public otherwise. */
export function upstreamNetworks(): UpstreamNetworks {
  return env.PORTCULLIS_UPSTREAM_NETWORKS ?? (env.NODE_ENV === "development" ? "loopback" : "public");
}

let cachedKey: Buffer | undefined;

/** The credential encryption key: PORTCULLIS_ENCRYPTION_KEY, or one generated once into the data folder (0600). */
export function encryptionKey(): Buffer {
  if (env.PORTCULLIS_ENCRYPTION_KEY) return Buffer.from(env.PORTCULLIS_ENCRYPTION_KEY, "base64");
  if (cachedKey) return cachedKey;
  const file = path.join(dataDir(), "encryption-key");
  const key = Buffer.from(readOrCreateSecret(file, () => randomBytes(32).toString("base64")), "base64");
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key.`);
  cachedKey = key;
  return key;
}

/** The public origin of gateway URLs (PORTCULLIS_PUBLIC_URL, normalised, no trailing slash), or undefined when unset. */
export function publicUrl(): string | undefined {
  return env.PORTCULLIS_PUBLIC_URL;
}
