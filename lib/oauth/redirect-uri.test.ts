import { describe, expect, it } from "vitest";
import { isRegisteredRedirectUri, redirectUriProblem } from "@/lib/oauth/redirect-uri";

describe("redirect URIs", () => {
  it.each([
    "https://client.example.com/callback",
    "https://client.example.com/callback?tenant=1",
    "http://127.0.0.1:33418/",
    "http://127.0.0.1/callback",
    "http://[::1]:8080/callback",
    "http://localhost:6274/oauth/callback",
    "http://LOCALHOST:6274/oauth/callback",
  ])("accepts %s", (uri) => {
    expect(redirectUriProblem(uri)).toBeNull();
  });

  it.each([
    ["http://client.example.com/callback", /uses http on a host other than loopback/],
    ["http://127.0.0.2/callback", /uses http on a host other than loopback/],
    ["http://localhost.evil.example/callback", /uses http on a host other than loopback/],
    ["https://client.example.com/callback#frag", /has a fragment/],
    ["https://client.example.com/callback#", /has a fragment/],
    ["https://user:pass@client.example.com/callback", /user name or password/],
    ["javascript:alert(1)", /uses the scheme javascript:/],
    ["data:text/html,hi", /uses the scheme data:/],
    ["cursor://anysphere.cursor-retrieval/oauth/callback", /uses the scheme cursor:/],
    ["/relative/callback", /is not an absolute URL/],
    [`https://client.example.com/${"a".repeat(2000)}`, /longer than 2000 characters/],
  ])("refuses %s", (uri, message) => {
    expect(redirectUriProblem(uri)).toMatch(message);
  });

  it("compares with the registered ones exactly: no prefix, case or trailing-slash match", () => {
    const registered = ["https://client.example.com/callback", "http://127.0.0.1:33418/"];
    expect(isRegisteredRedirectUri(registered, "https://client.example.com/callback")).toBe(true);
    for (const uri of [
      "https://client.example.com/callback/",
      "https://client.example.com/callback/../evil",
      "https://client.example.com/callbackx",
      "https://client.example.com/callback?x=1",
      "https://CLIENT.example.com/callback",
      "http://127.0.0.1:33419/",
      "http://127.0.0.1:33418",
    ]) {
      expect(isRegisteredRedirectUri(registered, uri), uri).toBe(false);
    }
  });
});
