import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import { createGuardedFetch } from "@/lib/upstream/guarded-fetch";
import { ownAddresses } from "@/lib/upstream/own-addresses";

// The network guard on real connections: this machine's own (non-loopback) interface address is this machine,
// whatever range it is in, and IPv6 spellings of a loopback address are loopback.

const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

async function listen(host: string): Promise<string> {
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("here"));
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  servers.push(server);
  return `http://${host.includes(":") ? `[${host}]` : host}:${(server.address() as AddressInfo).port}/`;
}

const ownIPv4 = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === "IPv4" && !entry.internal)?.address;

describe("the network guard", () => {
  it("knows this machine's loopback address", () => {
    expect(ownAddresses().has("127.0.0.1")).toBe(true);
  });

  // A machine with no network interface but loopback skips this, and says so, rather than passing it unchecked.
  it.skipIf(!ownIPv4)("knows this machine's own interface address", () => {
    expect(ownAddresses().has(ownIPv4!)).toBe(true);
  });

  it.skipIf(!ownIPv4)("refuses this machine's own interface address under public, and allows it under loopback", async () => {
    const url = await listen(ownIPv4!);
    const publicOnly = createGuardedFetch({ networks: "public", maxResponseBytes: 1024 });
    const loopback = createGuardedFetch({ networks: "loopback", maxResponseBytes: 1024 });
    try {
      const refused = await publicOnly.fetch(url).then(
        () => null,
        (error: Error) => error.cause as Error,
      );
      expect(refused?.message).toBe(
        `${ownIPv4} is this machine (one of its own network addresses), and this Portcullis only connects to public addresses. An operator can allow it by starting Portcullis with PORTCULLIS_UPSTREAM_NETWORKS=loopback.`,
      );
      const allowed = await loopback.fetch(url);
      expect([allowed.status, await allowed.text()]).toEqual([200, "here"]);
    } finally {
      await publicOnly.close();
      await loopback.close();
    }
  });

  it.each(["::ffff:127.0.0.1", "64:ff9b::127.0.0.1", "2002:7f00:1::", "::127.0.0.1"])(
    "refuses http://[%s]/ under public as this machine",
    async (literal) => {
      const guarded = createGuardedFetch({ networks: "public", maxResponseBytes: 1024 });
      try {
        const cause = await guarded.fetch(`http://[${literal}]:8080/`).then(
          () => null,
          (error: Error) => error.cause as Error & { code?: string },
        );
        expect(cause).toMatchObject({ code: "upstream_address_blocked", message: expect.stringMatching(/which carries the IPv4 address 127\.0\.0\.1, is this machine \(loopback\)/) });
      } finally {
        await guarded.close();
      }
    },
  );
});
