import { UpstreamBlockedError, UpstreamTooLargeError } from "@/lib/upstream/guarded-fetch";

// Why talking to an upstream MCP server failed, as a code and a sentence a person can act on.

export type UpstreamErrorCode =
  | "upstream_address_blocked"
  | "upstream_unreachable"
  | "upstream_tls"
  | "upstream_unauthorized"
  | "upstream_not_mcp"
  | "upstream_timeout"
  | "upstream_too_large";

export class UpstreamError extends Error {
  constructor(
    readonly code: UpstreamErrorCode,
    message: string,
    /** Whether another transport is worth trying (the endpoint answered, but not as this transport). */
    readonly tryOtherTransport = false,
  ) {
    super(message);
    this.name = "UpstreamError";
  }
}

export class DeadlineError extends Error {}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: "the connection was refused",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name could not be resolved right now",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  ECONNRESET: "the connection was reset",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  ETIMEDOUT: "the connection timed out",
  UND_ERR_SOCKET: "the connection closed unexpectedly",
};

function chain(error: unknown): unknown[] {
  const seen: unknown[] = [];
  let current = error;
  while (current && !seen.includes(current)) {
    seen.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return seen;
}

/** Turns whatever the SDK, undici or the guard threw into an UpstreamError. */
export function toUpstreamError(error: unknown, url: URL, timeoutSeconds: number): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const errors = chain(error);
  const where = url.href;
  for (const e of errors) {
    if (e instanceof UpstreamBlockedError) return new UpstreamError("upstream_address_blocked", e.message);
    if (e instanceof UpstreamTooLargeError) {
      const amount = e.message.replace(/^The server sent /, "").replace(/\.$/, "");
      return new UpstreamError("upstream_too_large", `The server at ${where} sent ${amount} while listing its tools; Portcullis stops reading there.`);
    }
    if (e instanceof DeadlineError) {
      return new UpstreamError("upstream_timeout", `The server at ${where} did not finish answering within ${timeoutSeconds} seconds. Check that it is healthy, then try again.`);
    }
  }
  for (const e of errors) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") {
      if (/^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_OSSL)/.test(code)) {
        return new UpstreamError(
          "upstream_tls",
          `The TLS certificate of ${url.host} was not accepted (${code}). The server needs a valid certificate for this host name, signed by a trusted authority.`,
        );
      }
      if (UNREACHABLE[code]) {
        return new UpstreamError(
          "upstream_unreachable",
          `Nothing answered at ${url.origin}: ${UNREACHABLE[code]}. Check the URL, and that the server is running and reachable from Portcullis.`,
        );
      }
    }
    const message = (e as { message?: unknown }).message;
    if (message === "bad port") {
      return new UpstreamError("upstream_unreachable", `Port ${url.port} of ${url.hostname} is one that HTTP clients refuse to use: serve the MCP endpoint on another port.`);
    }
    if (typeof message === "string" && /wrong version number|ssl|tls|certificate/i.test(message) && url.protocol === "https:") {
      return new UpstreamError("upstream_tls", `A TLS connection to ${url.host} could not be made (${message}). Check that the server speaks HTTPS on this port.`);
    }
    if (typeof code === "number" && (code === 401 || code === 403)) {
      return new UpstreamError(
        "upstream_unauthorized",
        `The server at ${where} answered ${code}: check the upstream token or headers${code === 403 ? " and what they are allowed to do" : ""}.`,
      );
    }
    if ((e as { name?: unknown }).name === "UnauthorizedError" || (typeof message === "string" && /\b401\b|Unauthorized/.test(message))) {
      return new UpstreamError("upstream_unauthorized", `The server at ${where} answered 401: check the upstream token or headers.`);
    }
    if (typeof message === "string" && /Request timed out|timed out/i.test(message) && (e as { code?: unknown }).code === -32001) {
      return new UpstreamError("upstream_timeout", `The server at ${where} did not answer within ${timeoutSeconds} seconds. Check that it is healthy, then try again.`);
    }
  }
  const first = errors[0] as { message?: unknown; code?: unknown } | undefined;
  const hint = "Check the path: MCP endpoints usually end in /mcp (Streamable HTTP) or /sse (HTTP+SSE).";
  if (typeof first?.code === "number" && first.code > 0) {
    return new UpstreamError("upstream_not_mcp", `${where} answered HTTP ${first.code} instead of speaking MCP. ${hint}`, true);
  }
  const raw = typeof first?.message === "string" ? first.message : String(error);
  const detail = raw.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 160);
  return new UpstreamError("upstream_not_mcp", `${where} did not answer as an MCP server (${detail}). ${hint}`, true);
}
