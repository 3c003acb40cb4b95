import type { IncomingHttpHeaders } from "node:http";

/**
 * Rewrites the X-Forwarded-* headers of an incoming request so the app can trust them: with no trusted proxy,
 * the address is the socket's and client-sent values are dropped; with N trusted proxies, the address is the
 * Nth entry from the right of X-Forwarded-For (the one the outermost trusted proxy saw).
 */
export function normalizeForwardedHeaders(
  headers: IncomingHttpHeaders,
  socketAddress: string | undefined,
  trustedHops: number,
): void {
  const forwardedFor = String(headers["x-forwarded-for"] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  let address = socketAddress ?? "unknown";
  if (trustedHops > 0 && forwardedFor.length > 0) {
    address = forwardedFor[Math.max(0, forwardedFor.length - trustedHops)] ?? address;
  }
  if (trustedHops === 0) {
    delete headers["x-forwarded-proto"];
    delete headers["x-forwarded-host"];
    delete headers["x-forwarded-port"];
  }
  headers["x-forwarded-for"] = address.replace(/^::ffff:/, "");
}

/** The client address as normalized by the server (see normalizeForwardedHeaders). */
export function clientAddress(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}
