import { describe, expect, it } from "vitest";
import { displayClient, displayRedirect, grantNameFor, type ClientIdentity } from "@/lib/oauth/client-display";

const documentClient: ClientIdentity = {
  clientId: "https://app.example.com/oauth/client.json",
  kind: "metadata_document",
  clientName: "Example App",
  logoUri: "https://app.example.com/logo.png",
  redirectUris: ["https://app.example.com/callback"],
};
const registered: ClientIdentity = {
  clientId: "3f1c...",
  kind: "registered",
  clientName: "Claude",
  logoUri: "http://tracker.example/logo.png",
  redirectUris: ["http://127.0.0.1:33418/callback"],
};

describe("displayClient", () => {
  it.each<[string, ClientIdentity, { name: string; verifiedDomain: string | null; domain: string; logoUri: string | null }]>([
    ["a metadata document: its domain is verified", documentClient, { name: "Example App", verifiedDomain: "app.example.com", domain: "app.example.com", logoUri: "https://app.example.com/logo.png" }],
    ["a registered client: its redirect's domain, no verified one, no http logo", registered, { name: "Claude", verifiedDomain: null, domain: "127.0.0.1", logoUri: null }],
    ["no name: the verified domain", { ...documentClient, clientName: "  " }, { name: "app.example.com", verifiedDomain: "app.example.com", domain: "app.example.com", logoUri: "https://app.example.com/logo.png" }],
    ["no name, registered", { ...registered, clientName: null }, { name: "An unnamed client", verifiedDomain: null, domain: "127.0.0.1", logoUri: null }],
    ["a logo that is no URL", { ...documentClient, logoUri: "javascript:alert(1)" }, { name: "Example App", verifiedDomain: "app.example.com", domain: "app.example.com", logoUri: null }],
  ])("%s", (_, client, expected) => {
    expect(displayClient(client)).toEqual(expected);
  });

  it("names a grant after the client, within 100 characters", () => {
    expect(grantNameFor(documentClient)).toBe("Example App");
    expect(grantNameFor({ ...registered, clientName: "x".repeat(150) })).toHaveLength(100);
  });
});

describe("displayRedirect", () => {
  it.each<[string, string | null, { host: string; loopback: boolean; mismatch: boolean }]>([
    ["https://app.example.com/callback", "app.example.com", { host: "app.example.com", loopback: false, mismatch: false }],
    ["https://eu.app.example.com/callback", "app.example.com", { host: "eu.app.example.com", loopback: false, mismatch: false }],
    ["https://evil.example/callback", "app.example.com", { host: "evil.example", loopback: false, mismatch: true }],
    ["https://notapp.example.com/callback", "app.example.com", { host: "notapp.example.com", loopback: false, mismatch: true }],
    ["http://127.0.0.1:33418/callback", "app.example.com", { host: "127.0.0.1", loopback: true, mismatch: true }],
    // A registered client has no verified domain to differ from.
    ["https://evil.example/callback", null, { host: "evil.example", loopback: false, mismatch: false }],
    ["http://localhost:5000/cb", null, { host: "localhost", loopback: true, mismatch: false }],
  ])("%s against %s", (uri, domain, expected) => {
    expect(displayRedirect(uri, domain)).toEqual(expected);
  });
});
