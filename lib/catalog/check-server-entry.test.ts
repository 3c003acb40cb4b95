import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkServerEntry } from "@/lib/catalog/check-server-entry";
import { readRegistryEntry } from "@/lib/catalog/read-registry-entry";
import { canonicalJson } from "@/lib/policy/canonical-json";

const digest = (tools: unknown[]) => createHash("sha256").update(canonicalJson(tools)).digest("hex");
const listed = (tools: unknown[], extra: Record<string, unknown> = {}) => ({
  name: "io.github.acme/files",
  _meta: { "portcullis/listing": { tools, toolsSha256: digest(tools), listedAt: "2026-12-07T04:30:00.000Z", via: { transport: "stdio" }, ...extra } },
});

describe("checkServerEntry", () => {
  it.each([
    [null, "The entry is not a JSON object."],
    [{ title: "no name" }, "The entry has no name."],
    [{ name: "no-slash" }, /is not a registry name/],
    [{ name: "a/b/c" }, /is not a registry name/],
    [{ name: `io.github.x/${"y".repeat(200)}` }, /is not a registry name/],
    [listed(Array.from({ length: 5_001 }, (_, i) => ({ name: `t${i}` }))), "The listing holds 5,001 tools; at most 5,000 are accepted."],
    [{ name: "io.github.acme/files", _meta: { "portcullis/listing": { tools: "all of them" } } }, /tools is not a list of tools/],
  ])("refuses %#", (entry, reason) => {
    expect(checkServerEntry(entry, { listing: "read" })).toMatchObject({ ok: false, reason: typeof reason === "string" ? reason : expect.stringMatching(reason) });
  });

  it("derives transports and package registries, and keeps only http(s) links", () => {
    const checked = checkServerEntry(
      {
        name: "io.github.acme/files",
        repository: { url: "javascript:alert(1)" },
        websiteUrl: "https://acme.example/files",
        packages: [
          { registryType: "npm", identifier: "@acme/files", transport: { type: "stdio" } },
          { registryType: "OCI", identifier: "acme/files", transport: { type: "streamable-http", url: "http://{host}/mcp" } },
          { identifier: "no registry type" },
        ],
        remotes: [{ type: "sse", url: "https://acme.example/sse" }, { type: "carrier-pigeon", url: "coo://" }],
      },
      { listing: "read" },
    );
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.server).toMatchObject({
      repositoryUrl: null,
      websiteUrl: "https://acme.example/files",
      transports: ["stdio", "streamable-http", "sse"],
      registryTypes: ["npm", "oci"],
      listing: null,
    });
    // The two packages that name a registry, as given; the third is dropped with an issue.
    expect(checked.server.packages).toEqual([
      { registryType: "npm", identifier: "@acme/files", transport: { type: "stdio" } },
      { registryType: "OCI", identifier: "acme/files", transport: { type: "streamable-http", url: "http://{host}/mcp" } },
    ]);
    expect(checked.server.issues.map((i) => i.path)).toEqual(["packages[2]", "repository.url"]);
  });

  it("keeps the first of two tools with the same name, and the listing's own digest only when it matches", () => {
    const tools = [{ name: "read", inputSchema: { type: "object" } }, { name: "read", description: "again" }, { name: "write", inputSchema: { type: "object" } }];
    const good = checkServerEntry(listed(tools), { listing: "read" });
    expect(good.ok && good.server.listing?.tools.map((t) => t.name)).toEqual(["read", "write"]);
    expect(good.ok && good.server.listing?.toolsSha256).toBe(digest(tools));
    expect(good.ok && good.server.issues).toEqual([{ path: '_meta["portcullis/listing"].tools[1]', reason: expect.stringMatching(/repeats the name “read” of tools\[0\]/) }]);

    const lying = checkServerEntry(listed(tools, { toolsSha256: "f".repeat(64), notes: ["Tool #4 is not an object: left out."] }), { listing: "read" });
    expect(lying.ok && lying.server.listing?.toolsSha256).toBe(digest(tools));
    expect(lying.ok && lying.server.issues.map((i) => i.reason)).toEqual(
      expect.arrayContaining([expect.stringMatching(/does not match the tools listed/), "Tool #4 is not an object: left out."]),
    );
  });

  it("does not believe a registry entry that claims a tool listing", () => {
    const read = readRegistryEntry({ server: listed([{ name: "t" }]), _meta: { "io.modelcontextprotocol.registry/official": { status: "deprecated", updatedAt: "2026-12-01T00:00:00Z" } } });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.entry).toMatchObject({ status: "deprecated", updatedAt: new Date("2026-12-01T00:00:00Z"), server: { listing: null } });
    expect(read.entry.server.issues[0]!.reason).toMatch(/claims a tool listing; it was ignored/);
  });
});
