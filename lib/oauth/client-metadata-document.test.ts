import { describe, expect, it } from "vitest";
import { CACHE_DEFAULT_MS, CACHE_MAX_MS, CACHE_MIN_MS, cacheLifetimeMs, clientIdUrlProblem } from "@/lib/oauth/client-metadata-document";

describe("client id URLs", () => {
  it.each([
    ["https://client.example.com/oauth/client.json", "public"],
    ["https://client.example.com/client?v=2", "public"],
    ["http://127.0.0.1:8080/client.json", "loopback"],
    ["http://localhost:8080/client.json", "private"],
    ["http://[::1]:8080/client.json", "any"],
  ] as const)("accepts %s under %s", (clientId, networks) => {
    expect(clientIdUrlProblem(clientId, networks)).toBeNull();
  });

  it.each([
    ["http://127.0.0.1:8080/client.json", "public", "A client id that is a URL must use https."],
    ["http://client.example.com/client.json", "loopback", "A client id that is a URL must use https."],
    ["ftp://client.example.com/client.json", "any", "A client id that is a URL must use https."],
    ["https://client.example.com", "public", "A client id URL must have a path (the document's own, such as /oauth/client.json)."],
    ["https://client.example.com/", "public", "A client id URL must have a path (the document's own, such as /oauth/client.json)."],
    ["https://client.example.com/c.json#x", "public", "A client id URL must not have a fragment (#...)."],
    ["https://user:pw@client.example.com/c.json", "public", "A client id URL must not carry a user name or password."],
    ["https://client.example.com/a/../c.json", "public", /must be written in its normal form \(https:\/\/client\.example\.com\/c\.json\)/],
    ["https://client.example.com/./c.json", "public", /normal form/],
    ["https://Client.Example.com/c.json", "public", /normal form/],
    ["https://client.example.com:443/c.json", "public", /normal form/],
    ["https://client.example.com/c json", "public", /normal form/],
    [`https://client.example.com/${"a".repeat(2000)}`, "public", "The client id is longer than 2000 characters."],
  ] as const)("refuses %s under %s", (clientId, networks, message) => {
    expect(clientIdUrlProblem(clientId, networks)).toMatch(message);
  });
});

describe("how long a document is cached", () => {
  it.each([
    [null, CACHE_DEFAULT_MS],
    ["public", CACHE_DEFAULT_MS],
    ["max-age=600", 600_000],
    ["public, max-age=7200", 7_200_000],
    ['max-age="900"', 900_000],
    ["max-age=10", CACHE_MIN_MS],
    ["max-age=0", CACHE_MIN_MS],
    ["no-store", CACHE_MIN_MS],
    ["no-cache, max-age=3600", CACHE_MIN_MS],
    ["max-age=31536000", CACHE_MAX_MS],
    ["max-age=-5", CACHE_DEFAULT_MS],
  ])("Cache-Control %j: %i ms", (header, ms) => {
    expect(cacheLifetimeMs(header)).toBe(ms);
  });
});
