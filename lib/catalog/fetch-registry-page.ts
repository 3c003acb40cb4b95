import { UpstreamBlockedError, UpstreamTooLargeError, type FetchLike } from "@/lib/upstream/guarded-fetch";

// One page of a registry's `GET /v0.1/servers`, fetched through the outbound address checks with a size and a time
// limit, and checked for the list's shape. Every way it can fail is a RegistryPageError with a sentence to act on.

export class RegistryPageError extends Error {
  override name = "RegistryPageError";
}

export interface RegistryPageRequest {
  cursor?: string;
  limit: number;
  search?: string;
  updatedSince?: Date;
}

export interface RegistryPage {
  entries: unknown[];
  /** The cursor of the next page (`metadata.nextCursor`, or `next_cursor`); null on the last page. */
  nextCursor: string | null;
}

/** The list endpoint: the registry's base URL with /v0.1/servers, unless the URL already names it. */
export function registryListUrl(registryUrl: string, request: RegistryPageRequest): URL {
  const base = new URL(registryUrl);
  const url = /\/v0(\.1)?\/servers\/?$/.test(base.pathname) ? base : new URL("v0.1/servers", base.href.endsWith("/") ? base : `${base.href}/`);
  url.search = "";
  url.searchParams.set("limit", String(request.limit));
  url.searchParams.set("version", "latest");
  if (request.cursor) url.searchParams.set("cursor", request.cursor);
  if (request.search) url.searchParams.set("search", request.search);
  // Deleted entries come with updated_since anyway; asked for in full runs too, so deletions are seen there as well.
  if (request.updatedSince) url.searchParams.set("updated_since", request.updatedSince.toISOString());
  else url.searchParams.set("include_deleted", "true");
  return url;
}

export async function fetchRegistryPage(
  fetch: FetchLike,
  registryUrl: string,
  request: RegistryPageRequest,
  options: { timeoutMs: number; maxBytes: number; page: number },
): Promise<RegistryPage> {
  const url = registryListUrl(registryUrl, request);
  const which = `Page ${options.page} of ${url.origin}${url.pathname}`;
  let text: string;
  try {
    const response = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(options.timeoutMs) });
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new RegistryPageError(`${which} answered HTTP ${response.status}. Check the registry's URL (it should serve GET /v0.1/servers).`);
    }
    text = await response.text();
  } catch (error) {
    throw pageError(error, which, options);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new RegistryPageError(`${which} is not JSON (${(error as Error).message.slice(0, 120)}); the import stopped there.`);
  }
  if (typeof body !== "object" || body === null || !Array.isArray((body as { servers?: unknown }).servers)) {
    throw new RegistryPageError(`${which} has no "servers" list; the import stopped there.`);
  }
  const metadata = (body as { metadata?: unknown }).metadata;
  const meta = typeof metadata === "object" && metadata !== null ? (metadata as Record<string, unknown>) : {};
  const next = meta.nextCursor ?? meta.next_cursor;
  if (next !== undefined && next !== null && typeof next !== "string") {
    throw new RegistryPageError(`${which} gives a next cursor that is not text; the import stopped there.`);
  }
  return { entries: (body as { servers: unknown[] }).servers, nextCursor: next ? next : null };
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: "the connection was refused",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name could not be resolved right now",
  EHOSTUNREACH: "the host is unreachable",
  ECONNRESET: "the connection was reset",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  UND_ERR_SOCKET: "the connection closed unexpectedly",
};

function pageError(error: unknown, which: string, { timeoutMs, maxBytes }: { timeoutMs: number; maxBytes: number }): RegistryPageError {
  if (error instanceof RegistryPageError) return error;
  const seen = new Set<unknown>();
  for (let e: unknown = error; e && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    if (e instanceof UpstreamBlockedError) return new RegistryPageError(`${which} was not fetched: ${e.message}`);
    if (e instanceof UpstreamTooLargeError) {
      return new RegistryPageError(`${which} is larger than ${Math.round(maxBytes / 1024)} KB; the import stopped there. Ask for fewer entries per page (--limit).`);
    }
    const name = (e as { name?: unknown }).name;
    if (name === "TimeoutError" || name === "AbortError") {
      return new RegistryPageError(`${which} did not arrive within ${timeoutMs / 1000} s; the import stopped there. Run it again later, or allow more time (--page-timeout-ms).`);
    }
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && UNREACHABLE[code]) return new RegistryPageError(`${which} could not be fetched: ${UNREACHABLE[code]}.`);
  }
  return new RegistryPageError(`${which} could not be fetched (${error instanceof Error ? error.message : String(error)}).`);
}
