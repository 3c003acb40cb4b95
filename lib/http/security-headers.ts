// The security headers of the console and its API. Static ones are set for every path in next.config.ts; the
// pages' Content-Security-Policy carries a fresh nonce per request and is set by proxy.ts, which is also where
// Strict-Transport-Security is added when the request came over HTTPS.

/** Browser features the console never uses, denied to it and to anything embedded in it. */
export const PERMISSIONS_POLICY = [
  "accelerometer",
  "bluetooth",
  "browsing-topics",
  "camera",
  "display-capture",
  "geolocation",
  "gyroscope",
  "hid",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "serial",
  "usb",
  "xr-spatial-tracking",
]
  .map((feature) => `${feature}=()`)
  .join(", ");

/** JSON answers are never documents: nothing may load from them, and nothing may frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** One year; only ever sent on responses that came over HTTPS. */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

/**
 * The pages' policy. Scripts run only with this response's nonce (Next.js puts it on its own scripts, and
 * 'strict-dynamic' lets those load their chunks); styles come from the app's own files, or carry the nonce
 * (next-themes, CodeMirror). Development adds what React's refresh and Next's dev styles need. `httpsImages` lets
 * the page show images from any https origin: the OAuth consent page shows a client's logo from the client's host.
 */
export function consoleContentSecurityPolicy(options: { nonce: string; development: boolean; https: boolean; httpsImages?: boolean }): string {
  const { nonce, development, https } = options;
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    `img-src 'self' data: blob:${options.httpsImages ? " https:" : ""}`,
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** A fresh nonce: 128 random bits, base64. Web crypto, so it runs wherever proxy.ts runs. */
export function createNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
