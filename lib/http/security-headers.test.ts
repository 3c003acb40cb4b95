import { describe, expect, it } from "vitest";
import { consoleContentSecurityPolicy, createNonce, PERMISSIONS_POLICY } from "@/lib/http/security-headers";

describe("consoleContentSecurityPolicy", () => {
  it("allows scripts and styles by nonce only in production", () => {
    expect(consoleContentSecurityPolicy({ nonce: "abc", development: false, https: false })).toBe(
      "default-src 'self'; script-src 'self' 'nonce-abc' 'strict-dynamic'; style-src 'self' 'nonce-abc'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
  });

  it("adds what React's refresh needs in development only, and upgrades subresources over HTTPS only", () => {
    const development = consoleContentSecurityPolicy({ nonce: "abc", development: true, https: false });
    expect(development).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic' 'unsafe-eval';");
    expect(development).toContain("style-src 'self' 'unsafe-inline';");
    expect(consoleContentSecurityPolicy({ nonce: "abc", development: false, https: true })).toMatch(/; upgrade-insecure-requests$/);
    // The consent page shows an OAuth client's logo from its own https host; other pages load images from here only.
    expect(consoleContentSecurityPolicy({ nonce: "abc", development: false, https: false, httpsImages: true })).toContain("; img-src 'self' data: blob: https:;");
  });
});

it("makes a fresh 128-bit nonce each time", () => {
  const nonces = new Set(Array.from({ length: 100 }, createNonce));
  expect(nonces.size).toBe(100);
  for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
});

it("denies the features the console never uses", () => {
  for (const feature of ["camera", "microphone", "geolocation", "payment", "usb"]) expect(PERMISSIONS_POLICY).toContain(`${feature}=()`);
});
