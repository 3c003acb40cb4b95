import { describe, expect, it } from "vitest";
import { isConsoleOrigin } from "@/lib/http/is-console-origin";
import { isHttpsRequest, requestOrigin } from "@/lib/http/request-origin";

const direct = { url: "http://localhost:3000/api/v1/tokens", headers: new Headers({ host: "localhost:3000", "x-forwarded-proto": "http" }) };
// Behind a TLS-terminating proxy trusted with TRUST_PROXY_HOPS (scripts/server.ts keeps its headers).
const proxied = {
  url: "http://127.0.0.1:3000/api/v1/tokens",
  headers: new Headers({ host: "127.0.0.1:3000", "x-forwarded-host": "console.example.com", "x-forwarded-proto": "https" }),
};

describe("requestOrigin", () => {
  it("is the scheme, host and port the request reached", () => {
    expect(requestOrigin(direct)).toBe("http://localhost:3000");
    expect(requestOrigin(proxied)).toBe("https://console.example.com");
    expect(requestOrigin({ url: "http://x/", headers: new Headers({ host: "Console.Example.com:443", "x-forwarded-proto": "https, http" }) })).toBe("https://console.example.com");
    expect(requestOrigin({ url: "http://localhost/api", headers: new Headers() })).toBe("http://localhost");
    expect(isHttpsRequest(proxied)).toBe(true);
    expect(isHttpsRequest(direct)).toBe(false);
  });
});

describe("isConsoleOrigin", () => {
  it.each([
    ["the console itself", "http://localhost:3000", direct, true],
    ["null", "null", direct, false],
    ["garbage", "garbage", direct, false],
    ["empty", "", direct, false],
    ["another site", "http://evil.example", direct, false],
    ["the same host over https", "https://localhost:3000", direct, false],
    ["the same host on another port", "http://localhost:3001", direct, false],
    ["the same host without its port", "http://localhost", direct, false],
    ["a path after the origin", "http://localhost:3000/", direct, false],
    ["the public https origin behind the proxy", "https://console.example.com", proxied, true],
    ["plain http behind an https proxy", "http://console.example.com", proxied, false],
    ["the proxy's upstream address", "http://127.0.0.1:3000", proxied, false],
  ] as const)("%s (%s): %s", (_name, origin, request, expected) => {
    expect(isConsoleOrigin(origin, request, [])).toBe(expected);
  });

  it("also accepts the configured public URLs, never an opaque origin", () => {
    expect(isConsoleOrigin("https://portcullis.example.com", direct, ["https://portcullis.example.com/"])).toBe(true);
    expect(isConsoleOrigin("https://other.example.com", direct, ["https://portcullis.example.com", undefined])).toBe(false);
    expect(isConsoleOrigin("null", direct, ["not a url", "foo:bar"])).toBe(false);
  });
});
