// The answers the gateway builds itself, one helper each: a refusal reads the same wherever a stage gives it.
import { JSON_RPC_ERROR, jsonRpcError } from "@/lib/mcp/json-rpc";
import { unavailableRefusal } from "@/lib/mcp/refusal";
import { BufferedResponse } from "@/lib/http/buffered-response";
import { wwwAuthenticate } from "@/lib/oauth/metadata";

export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return BufferedResponse.fromText(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/**
 * 503: the database could not answer, so nothing was forwarded (fail closed). `retryAfterSeconds` where the client
 * is told when to try again.
 */
export function unavailableAnswer(retryAfterSeconds?: number): Response {
  const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) };
  return jsonAnswer(503, jsonRpcError(null, JSON_RPC_ERROR.INTERNAL_ERROR, unavailableRefusal().text), headers);
}

/** 502: the upstream hop failed (or the client left and the upstream did not answer in time). */
export function upstreamUnreachableAnswer(): Response {
  return jsonAnswer(502, jsonRpcError(null, JSON_RPC_ERROR.INTERNAL_ERROR, "The upstream server could not be reached."));
}

/** 421: the Host is not one this gateway serves (DNS rebinding). */
export function hostNotServedAnswer(): Response {
  return jsonAnswer(421, jsonRpcError(null, JSON_RPC_ERROR.INVALID_REQUEST, "This host name is not served by this gateway."));
}

/** 403: a browser page of another origin. */
export function originNotAllowedAnswer(origin: string): Response {
  return jsonAnswer(403, jsonRpcError(null, JSON_RPC_ERROR.INVALID_REQUEST, `Origin ${origin} is not allowed.`));
}

/** 401 without a key. */
/**
 * 401 without a credential. `resourceMetadataUrl` is where an OAuth client learns how to get a token for this gateway
 * URL (RFC 9728): clients that take only a URL start their sign-in from it.
 */
export function keyMissingAnswer(resourceMetadataUrl: string): Response {
  return jsonAnswer(
    401,
    jsonRpcError(
      null,
      JSON_RPC_ERROR.INVALID_REQUEST,
      "Send a grant key (Authorization: Bearer pcg_..., from the Grants page of the Portcullis console), or sign in with OAuth from a client that supports it.",
    ),
    { "www-authenticate": wwwAuthenticate({ resourceMetadataUrl }) },
  );
}

/** 401 for a key that is unknown, revoked, or not granted this server. */
export function keyNotValidAnswer(resourceMetadataUrl: string): Response {
  return jsonAnswer(
    401,
    jsonRpcError(null, JSON_RPC_ERROR.INVALID_REQUEST, "This key is not valid for this server (unknown, revoked, or not granted this server): create one on the Grants page of the Portcullis console."),
    {
      "www-authenticate": wwwAuthenticate({
        resourceMetadataUrl,
        error: "invalid_token",
        errorDescription: "This key or token is not valid for this server: create a key on the Grants page, or sign in again",
      }),
    },
  );
}

/** 404 for a session id that is unknown, another grant's or idle: the client initializes a new one. */
export function unknownSessionAnswer(): Response {
  return jsonAnswer(404, jsonRpcError(null, JSON_RPC_ERROR.INVALID_REQUEST, "Unknown or expired session: initialize a new one."));
}

/** 405 for an HTTP method Streamable HTTP does not use. */
export function methodNotAllowedAnswer(): Response {
  return new Response(null, { status: 405, headers: { allow: "GET, POST, DELETE" } });
}

/** 413: the body was not read past the limit. */
export function bodyTooLargeAnswer(): Response {
  return jsonAnswer(413, jsonRpcError(null, JSON_RPC_ERROR.INVALID_REQUEST, "The request body is too large."));
}

/** 400: the database refused this request's own data (the batcher kept it from failing anyone else's). */
export function dataRefusedAnswer(sqlState: string | null): Response {
  const why = `Portcullis could not record this request: the database refused its data (SQLSTATE ${sqlState}). Nothing was forwarded.`;
  return jsonAnswer(400, jsonRpcError(null, JSON_RPC_ERROR.INVALID_REQUEST, why));
}

/** 202: only notifications and responses, and nothing for the client to read. */
export function acceptedAnswer(): Response {
  return new Response(null, { status: 202 });
}

/** 499: the client hung up before the upstream answered (no one reads it; the status is for logs). */
export function clientGoneAnswer(): Response {
  return new Response(null, { status: 499 });
}
