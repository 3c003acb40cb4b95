import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchClientMetadataDocument, resolveClientMetadataDocument } from "@/lib/oauth/client-metadata-document";
import { findClient } from "@/lib/oauth/clients";
import { resolveClient } from "@/lib/oauth/resolve-client";
import { oauthRefusal } from "../support/oauth-fixtures";

// Client ID Metadata Documents fetched from a real HTTP server on 127.0.0.1 (the tests run with
// PORTCULLIS_UPSTREAM_NETWORKS=loopback, which is what lets a loopback http client id through: see
// clientIdUrlProblem), cached in the real PostgreSQL. Each refusal is invalid_client with the reason in its description.

let pool: pg.Pool;
let documents: Server;
let base: string;
/** A TCP listener that counts the connections it gets: the address policy must refuse before any. */
let listener: TcpServer;
let listenerPort: number;
let connections = 0;
const hits = new Map<string, number>();
/** What /changing.json answers next. */
let changingStatus = 200;

const document = (path: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ client_id: `${base}${path}`, client_name: "Doc client", redirect_uris: ["http://127.0.0.1:33418/callback"], ...extra });

function answer(req: IncomingMessage, res: ServerResponse) {
  const path = req.url ?? "/";
  hits.set(path, (hits.get(path) ?? 0) + 1);
  const json = (body: string, headers: Record<string, string> = {}) => res.writeHead(200, { "content-type": "application/json", ...headers }).end(body);
  switch (path) {
    case "/client.json":
      return json(document(path, { logo_uri: "https://client.example.com/logo.png", client_uri: "https://client.example.com" }), { "cache-control": "max-age=600" });
    case "/changing.json":
      if (changingStatus !== 200) return res.writeHead(changingStatus).end();
      return json(document(path), { "cache-control": "no-store" });
    case "/vendor-type.json":
      return res.writeHead(200, { "content-type": "application/oauth-client+json; charset=utf-8" }).end(document(path));
    case "/big-declared.json":
      return json(document(path, { padding: "x".repeat(6000) }));
    case "/big-streamed.json": {
      // No Content-Length: the size is only known while reading.
      res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
      const body = document(path, { padding: "x".repeat(6000) });
      for (let i = 0; i < body.length; i += 500) res.write(body.slice(i, i + 500));
      return res.end();
    }
    case "/slow.json":
      setTimeout(() => json(document(path)), 3000).unref();
      return;
    case "/slow-body.json":
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"client_id": ');
      return; // never finished
    case "/page.html":
      return res.writeHead(200, { "content-type": "text/html" }).end("<html>not json</html>");
    case "/broken.json":
      return json('{"client_id": ');
    case "/array.json":
      return json("[]");
    case "/mismatch.json":
      return json(JSON.stringify({ client_id: `${base}/client.json`, redirect_uris: ["http://127.0.0.1:33418/callback"] }));
    case "/no-client-id.json":
      return json(JSON.stringify({ redirect_uris: ["http://127.0.0.1:33418/callback"] }));
    case "/evil-redirect.json":
      return json(document(path, { redirect_uris: ["http://evil.example.com/callback"] }));
    case "/secret.json":
      return json(document(path, { client_secret: "s3cret", token_endpoint_auth_method: "client_secret_post" }));
    case "/confidential.json":
      return json(document(path, { token_endpoint_auth_method: "private_key_jwt" }));
    case "/to-private.json":
      return res.writeHead(302, { location: "http://10.20.30.40/client.json" }).end();
    default:
      return res.writeHead(404).end();
  }
}

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 5 });
  documents = createHttpServer(answer);
  await new Promise<void>((resolve) => documents.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(documents.address() as AddressInfo).port}`;
  listener = createTcpServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  listenerPort = (listener.address() as AddressInfo).port;
});

afterAll(async () => {
  documents?.closeAllConnections();
  await new Promise((resolve) => documents?.close(resolve));
  await new Promise((resolve) => listener?.close(resolve));
  await pool?.end();
});

const refusal = (path: string, options: Parameters<typeof fetchClientMetadataDocument>[1] = {}) =>
  oauthRefusal(fetchClientMetadataDocument(`${base}${path}`, { timeoutMs: 500, ...options }));

describe("fetching a client id metadata document", () => {
  it("reads a document and keeps what Portcullis uses", async () => {
    const fetched = await fetchClientMetadataDocument(`${base}/client.json`);
    expect(fetched).toEqual({
      metadata: {
        redirect_uris: ["http://127.0.0.1:33418/callback"],
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        client_name: "Doc client",
        client_uri: "https://client.example.com",
        logo_uri: "https://client.example.com/logo.png",
      },
      lifetimeMs: 600_000,
    });
  });

  it("accepts an application/*+json type", async () => {
    expect((await fetchClientMetadataDocument(`${base}/vendor-type.json`)).metadata.client_name).toBe("Doc client");
  });

  it.each([
    ["/big-declared.json", "is larger than 5 KB."],
    ["/big-streamed.json", "is larger than 5 KB."],
  ])("refuses a document over 5 KB (%s)", async (path, reason) => {
    expect(await refusal(path)).toEqual({ code: "invalid_client", message: `The client id document at ${base}${path} ${reason}` });
  });

  it.each(["/slow.json", "/slow-body.json"])("gives up on a slow document (%s) at the time limit", async (path) => {
    const started = Date.now();
    expect(await refusal(path)).toEqual({ code: "invalid_client", message: `The client id document at ${base}${path} did not arrive within 0.5 s.` });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it.each([
    ["/page.html", "is not JSON (Content-Type: text/html)."],
    ["/broken.json", "is not valid JSON."],
    ["/array.json", "is not a JSON object."],
    ["/missing.json", "answered HTTP 404 instead of the document."],
  ])("refuses %s", async (path, reason) => {
    expect(await refusal(path)).toEqual({ code: "invalid_client", message: `The client id document at ${base}${path} ${reason}` });
  });

  it("refuses a document whose client_id is not its own URL exactly", async () => {
    expect(await refusal("/mismatch.json")).toEqual({
      code: "invalid_client",
      message: `The client id document at ${base}/mismatch.json names "${base}/client.json"; its client_id must be its own URL exactly.`,
    });
    expect((await refusal("/no-client-id.json"))?.message).toBe(
      `The client id document at ${base}/no-client-id.json names no client_id; its client_id must be its own URL exactly.`,
    );
  });

  it("refuses a document with a redirect URI Portcullis would not register", async () => {
    expect(await refusal("/evil-redirect.json")).toEqual({
      code: "invalid_client",
      message: `The client id document at ${base}/evil-redirect.json is not usable: The redirect URI http://evil.example.com/callback uses http on a host other than loopback: use https, or http on 127.0.0.1, [::1] or localhost for an app on the user's machine.`,
    });
  });

  it("refuses a document with a secret, or a client that is not public", async () => {
    expect((await refusal("/secret.json"))?.message).toBe(`The client id document at ${base}/secret.json carries a client_secret; a public document must not.`);
    expect((await refusal("/confidential.json"))?.message).toMatch(/is not usable: token_endpoint_auth_method "private_key_jwt" is not supported/);
  });
});

describe("the address policy on client id documents", () => {
  it.each(["127.0.0.1", "localhost"])("refuses https://%s under `public` before any connection", async (host) => {
    const clientId = `https://${host}:${listenerPort}/client.json`;
    const before = connections;
    const refused = await oauthRefusal(fetchClientMetadataDocument(clientId, { networks: "public", timeoutMs: 2000 }));
    expect(refused?.code).toBe("invalid_client");
    expect(refused?.message).toMatch(
      new RegExp(`^The client id document at ${clientId.replace(/[.]/g, "\\.")} is on an address Portcullis does not connect to: .*is this machine \\(loopback\\), and this Portcullis only connects to public addresses\\.`),
    );
    expect(connections).toBe(before);
  });

  it.each([
    ["https://10.20.30.40/client.json", "a private network address"],
    ["https://169.254.169.254/latest/client.json", "a cloud metadata service"],
    ["https://[fd00::1]/client.json", "a private network address"],
  ])("refuses %s under `loopback`, without waiting on it", async (clientId, kind) => {
    const started = Date.now();
    const refused = await oauthRefusal(fetchClientMetadataDocument(clientId, { networks: "loopback", timeoutMs: 4000 }));
    expect(refused?.code).toBe("invalid_client");
    expect(refused?.message).toContain(`is on an address Portcullis does not connect to: ${new URL(clientId).hostname.replace(/^\[|\]$/g, "")} is ${kind}`);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("checks every redirect hop: a document redirecting to a private address is refused", async () => {
    const refused = await refusal("/to-private.json");
    expect(refused?.code).toBe("invalid_client");
    expect(refused?.message).toContain("is on an address Portcullis does not connect to: 10.20.30.40 is a private network address");
  });

  it("never takes an http client id under `public`", async () => {
    expect(await oauthRefusal(fetchClientMetadataDocument(`${base}/client.json`, { networks: "public" }))).toEqual({
      code: "invalid_client",
      message: "A client id that is a URL must use https.",
    });
  });
});

describe("the cache", () => {
  it("stores the document, serves it from the cache while fresh, and fetches it again once stale", async () => {
    const clientId = `${base}/client.json`;
    const now = new Date();
    const before = hits.get("/client.json") ?? 0;
    const first = await resolveClient(pool, clientId, { now });
    expect(first).toMatchObject({
      clientId,
      kind: "metadata_document",
      clientName: "Doc client",
      clientUri: "https://client.example.com",
      logoUri: "https://client.example.com/logo.png",
      redirectUris: ["http://127.0.0.1:33418/callback"],
      fetchedAt: now,
      expiresAt: new Date(now.getTime() + 600_000),
    });
    expect(await findClient(pool, clientId)).toEqual(first);
    expect(hits.get("/client.json")).toBe(before + 1);

    const cached = await resolveClient(pool, clientId, { now: new Date(now.getTime() + 599_000) });
    expect(cached).toEqual(first);
    expect(hits.get("/client.json")).toBe(before + 1);

    const later = new Date(now.getTime() + 600_000);
    const refetched = await resolveClient(pool, clientId, { now: later });
    expect(hits.get("/client.json")).toBe(before + 2);
    expect(refetched).toMatchObject({ fetchedAt: later, expiresAt: new Date(later.getTime() + 600_000), createdAt: first.createdAt });
  });

  it("keeps a no-store document 5 minutes, and refuses the client when the fetch after that fails (no stale copy)", async () => {
    const clientId = `${base}/changing.json`;
    const now = new Date();
    changingStatus = 200;
    const first = await resolveClientMetadataDocument(pool, clientId, { now });
    expect(first.expiresAt).toEqual(new Date(now.getTime() + 5 * 60_000));
    changingStatus = 500;
    expect((await resolveClientMetadataDocument(pool, clientId, { now: new Date(now.getTime() + 4 * 60_000) })).clientId).toBe(clientId);
    expect(await oauthRefusal(resolveClientMetadataDocument(pool, clientId, { now: new Date(now.getTime() + 5 * 60_000) }))).toEqual({
      code: "invalid_client",
      message: `The client id document at ${clientId} answered HTTP 500 instead of the document.`,
    });
  });

  it("stores nothing for a refused document", async () => {
    expect((await oauthRefusal(resolveClient(pool, `${base}/mismatch.json`)))?.code).toBe("invalid_client");
    expect(await findClient(pool, `${base}/mismatch.json`)).toBeNull();
  });
});
