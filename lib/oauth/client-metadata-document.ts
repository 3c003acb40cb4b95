import { InvalidClientError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import type { Queryable } from "@/lib/db/queryable";
import { upstreamNetworks } from "@/lib/env";
import { checkClientMetadata, type ClientMetadata } from "@/lib/oauth/client-metadata";
import { CLIENT_COLUMNS, toClientRecord, type ClientRow, type OAuthClientRecord } from "@/lib/oauth/clients";
import { isLoopbackHost } from "@/lib/oauth/redirect-uri";
import type { UpstreamNetworks } from "@/lib/upstream/address-policy";
import { createGuardedFetch, UpstreamBlockedError, UpstreamTooLargeError } from "@/lib/upstream/guarded-fetch";

// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document, preferred by the MCP authorization
// spec): the client id is an https URL, and the JSON document there describes the client. A stranger chooses that URL,
// so the fetch is the upstreams' guarded one (lib/upstream/guarded-fetch.ts: the operator's address policy checked on
// every connection and redirect, so a client id cannot reach the operator's network), small, quick and JSON only.
// Documents are cached in oauth_clients for a bounded time.

/**
 * The draft's recommended ceiling. A real document (name, a few redirect URIs, a logo URL) is well under 1 KB; 5 KB
 * leaves room for ten long redirect URIs while keeping a hostile URL from making Portcullis download much.
 */
export const DOCUMENT_MAX_BYTES = 5 * 1024;
/** A static JSON file answers in milliseconds; a sign-in page should not wait on a slow host longer than this. */
export const DOCUMENT_TIMEOUT_MS = 5_000;
/** Cache lifetime when the document's Cache-Control gives none. */
export const CACHE_DEFAULT_MS = 60 * 60_000;
/**
 * At least 5 minutes, whatever the document says (no-store included): one sign-in (authorize, consent, token) reads
 * the client several times, and a client id must not make Portcullis fetch on every request.
 */
export const CACHE_MIN_MS = 5 * 60_000;
/** At most a day, so a client's change (a redirect URI withdrawn) is seen within one. */
export const CACHE_MAX_MS = 24 * 60 * 60_000;

export const MAX_CLIENT_ID_URL_LENGTH = 2000;

export interface ClientMetadataDocumentOptions {
  /** The address policy for the fetch: the upstreams' (PORTCULLIS_UPSTREAM_NETWORKS) unless given. */
  networks?: UpstreamNetworks;
  timeoutMs?: number;
  maxBytes?: number;
  now?: Date;
}

/** Whether a client id names a metadata document (a URL) rather than a client that registered itself. */
export function isMetadataDocumentClientId(clientId: string): boolean {
  return clientId.startsWith("https://") || clientId.startsWith("http://");
}

/**
 * Why this client id cannot be a metadata document URL, or null. The draft's rules: https, a path, no fragment, no
 * user name or password, no dot segments; and it must be written exactly as a URL parser writes it, since the
 * document's own client_id must equal it character for character.
 *
 * http is accepted only for a loopback host and only when the address policy lets Portcullis connect to this machine
 * (`loopback`, `private` or `any`), which is how tests and local development serve a document without a certificate.
 * Production runs with `public` (the default), where http is never accepted; and under the other settings an http
 * client id still reaches nothing but a server on the Portcullis machine itself.
 */
export function clientIdUrlProblem(clientId: string, networks: UpstreamNetworks): string | null {
  if (clientId.length > MAX_CLIENT_ID_URL_LENGTH) return `The client id is longer than ${MAX_CLIENT_ID_URL_LENGTH} characters.`;
  if (!URL.canParse(clientId)) return "The client id is not a valid URL.";
  const url = new URL(clientId);
  const httpAllowed = url.protocol === "http:" && networks !== "public" && isLoopbackHost(url.hostname);
  if (url.protocol !== "https:" && !httpAllowed) return "A client id that is a URL must use https.";
  if (clientId.includes("#")) return "A client id URL must not have a fragment (#...).";
  if (url.username || url.password) return "A client id URL must not carry a user name or password.";
  if (url.pathname === "/") return "A client id URL must have a path (the document's own, such as /oauth/client.json).";
  if (url.href !== clientId) {
    return `A client id URL must be written in its normal form (${url.href.slice(0, 300)}): no dot segments, a lowercase host, no default port.`;
  }
  return null;
}

/** How long to keep a document: its Cache-Control max-age within [CACHE_MIN_MS, CACHE_MAX_MS], else CACHE_DEFAULT_MS. */
export function cacheLifetimeMs(cacheControl: string | null): number {
  if (!cacheControl) return CACHE_DEFAULT_MS;
  const directives = cacheControl.toLowerCase().split(",").map((d) => d.trim());
  if (directives.includes("no-store") || directives.includes("no-cache")) return CACHE_MIN_MS;
  const maxAge = directives.map((d) => /^max-age="?(\d{1,10})"?$/.exec(d)).find((m) => m !== null);
  if (!maxAge) return CACHE_DEFAULT_MS;
  return Math.min(CACHE_MAX_MS, Math.max(CACHE_MIN_MS, Number(maxAge[1]) * 1000));
}

const isJsonMediaType = (contentType: string | null): boolean => {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(type);
};

const refuse = (clientId: string, reason: string) => new InvalidClientError(`The client id document at ${clientId} ${reason}`);

function causes(error: unknown): unknown[] {
  const seen: unknown[] = [];
  for (let e = error; e && !seen.includes(e); e = (e as { cause?: unknown }).cause) seen.push(e);
  return seen;
}

/** Why the fetch failed, as the end of a sentence about the document. */
function fetchFailure(error: unknown, timeoutMs: number, maxBytes: number): string {
  const chain = causes(error);
  const blocked = chain.find((e) => e instanceof UpstreamBlockedError);
  if (blocked) return `is on an address Portcullis does not connect to: ${blocked.message}`;
  if (chain.some((e) => e instanceof UpstreamTooLargeError)) return `is larger than ${maxBytes / 1024} KB.`;
  if (chain.some((e) => e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError"))) {
    return `did not arrive within ${timeoutMs / 1000} s.`;
  }
  const last = chain.at(-1);
  return `could not be fetched: ${last instanceof Error ? last.message : String(last)}`;
}

export interface FetchedClientMetadataDocument {
  metadata: ClientMetadata;
  /** How long to cache it. */
  lifetimeMs: number;
}

/**
 * Fetches and checks the document a client id names. Throws InvalidClientError whose description says what is wrong
 * with it (too big, too slow, not JSON, on an address not allowed, client_id differing from its URL, bad metadata).
 */
export async function fetchClientMetadataDocument(clientId: string, options: ClientMetadataDocumentOptions = {}): Promise<FetchedClientMetadataDocument> {
  const networks = options.networks ?? upstreamNetworks();
  const timeoutMs = options.timeoutMs ?? DOCUMENT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DOCUMENT_MAX_BYTES;
  const urlProblem = clientIdUrlProblem(clientId, networks);
  if (urlProblem) throw new InvalidClientError(urlProblem);

  const guarded = createGuardedFetch({ networks, maxResponseBytes: maxBytes, connectTimeoutMs: timeoutMs });
  let text: string;
  let cacheControl: string | null;
  try {
    const response = await guarded.fetch(clientId, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(timeoutMs) });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => {});
      throw refuse(clientId, `answered HTTP ${response.status} instead of the document.`);
    }
    if (!isJsonMediaType(response.headers.get("content-type"))) {
      await response.body?.cancel().catch(() => {});
      throw refuse(clientId, `is not JSON (Content-Type: ${(response.headers.get("content-type") ?? "none").slice(0, 100)}).`);
    }
    const declared = Number(response.headers.get("content-length") ?? "NaN");
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw refuse(clientId, `is larger than ${maxBytes / 1024} KB.`);
    }
    cacheControl = response.headers.get("cache-control");
    text = await response.text();
  } catch (error) {
    if (error instanceof InvalidClientError) throw error;
    throw refuse(clientId, fetchFailure(error, timeoutMs, maxBytes));
  } finally {
    await guarded.close().catch(() => {});
  }

  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw refuse(clientId, "is not valid JSON.");
  }
  if (typeof document !== "object" || document === null || Array.isArray(document)) throw refuse(clientId, "is not a JSON object.");
  const fields = document as Record<string, unknown>;
  if (fields.client_id !== clientId) {
    const named = typeof fields.client_id === "string" ? `"${fields.client_id.slice(0, 300)}"` : "no client_id";
    throw refuse(clientId, `names ${named}; its client_id must be its own URL exactly.`);
  }
  // The draft forbids shared secrets in a public document.
  if ("client_secret" in fields || "client_secret_expires_at" in fields) throw refuse(clientId, "carries a client_secret; a public document must not.");
  const check = checkClientMetadata(document);
  if (!check.ok) throw refuse(clientId, `is not usable: ${check.message}`);
  return { metadata: check.metadata, lifetimeMs: cacheLifetimeMs(cacheControl) };
}

const UPSERT = `
INSERT INTO oauth_clients (client_id, kind, client_name, client_uri, logo_uri, redirect_uris, metadata, created_at, fetched_at, expires_at)
VALUES ($1, 'metadata_document', $2, $3, $4, $5::text[], $6::jsonb, $7, $7, $8)
ON CONFLICT (client_id) DO UPDATE
   SET client_name = EXCLUDED.client_name, client_uri = EXCLUDED.client_uri, logo_uri = EXCLUDED.logo_uri,
       redirect_uris = EXCLUDED.redirect_uris, metadata = EXCLUDED.metadata, fetched_at = EXCLUDED.fetched_at,
       expires_at = EXCLUDED.expires_at
 WHERE oauth_clients.kind = 'metadata_document'
RETURNING ${CLIENT_COLUMNS}`;

/**
 * The client a metadata-document client id names: the cached copy while it is fresh, else fetched again and cached.
 * When a fetch fails the client is refused, even if a stale copy exists: the document may have withdrawn a redirect
 * URI, and a client should not keep what its own document no longer says.
 */
export async function resolveClientMetadataDocument(db: Queryable, clientId: string, options: ClientMetadataDocumentOptions = {}): Promise<OAuthClientRecord> {
  const now = options.now ?? new Date();
  const { rows } = await db.query<ClientRow>(
    `SELECT ${CLIENT_COLUMNS} FROM oauth_clients WHERE client_id = $1 AND kind = 'metadata_document' AND expires_at > $2`,
    [clientId, now],
  );
  if (rows[0]) return toClientRecord(rows[0]);
  const { metadata, lifetimeMs } = await fetchClientMetadataDocument(clientId, options);
  const saved = await db.query<ClientRow>(UPSERT, [
    clientId,
    metadata.client_name ?? null,
    metadata.client_uri ?? null,
    metadata.logo_uri ?? null,
    metadata.redirect_uris,
    JSON.stringify(metadata),
    now,
    new Date(now.getTime() + lifetimeMs),
  ]);
  if (!saved.rows[0]) throw new InvalidClientError(`The client id ${clientId} is taken by a registered client.`);
  return toClientRecord(saved.rows[0]);
}
