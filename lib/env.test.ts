import { afterEach, describe, expect, it, vi } from "vitest";

// lib/env parses process.env when it is first imported, so each case imports a fresh copy.
async function loadEnv(publicUrl: string | undefined) {
  vi.resetModules();
  vi.stubEnv("PORTCULLIS_PUBLIC_URL", publicUrl);
  return import("@/lib/env");
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("PORTCULLIS_PUBLIC_URL", () => {
  it("is optional", async () => {
    const { publicUrl } = await loadEnv(undefined);
    expect(publicUrl()).toBeUndefined();
  });

  it.each([
    ["https://portcullis.example.com", "https://portcullis.example.com"],
    ["https://portcullis.example.com/", "https://portcullis.example.com"],
    ["HTTPS://Portcullis.Example.COM:443/", "https://portcullis.example.com"],
    ["http://10.0.0.5:3000", "http://10.0.0.5:3000"],
    ["http://[::1]:8080/", "http://[::1]:8080"],
  ])("accepts the origin %s as %s", async (value, origin) => {
    const { publicUrl } = await loadEnv(value);
    expect(publicUrl()).toBe(origin);
  });

  it.each([
    ["a path", "https://example.com/portcullis"],
    ["a query", "https://example.com/?x=1"],
    ["a fragment", "https://example.com/#top"],
    ["credentials", "https://user:secret@example.com"],
    ["another scheme", "ftp://example.com"],
    ["no scheme", "example.com"],
    ["an empty value", ""],
  ])("refuses %s", async (_, value) => {
    await expect(loadEnv(value)).rejects.toThrow(/PORTCULLIS_PUBLIC_URL: PORTCULLIS_PUBLIC_URL must be an http:\/\/ or https:\/\/ origin without a path/);
  });
});
