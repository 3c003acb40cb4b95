import { describe, expect, it } from "vitest";
import { parseCatalogSources } from "@/lib/catalog/crawl/catalog-source";

const entry = {
  name: "io.github.acme/server",
  description: "Does things",
  package: { registryType: "npm", identifier: "@acme/server", version: "1.2.3", transport: { type: "stdio" } },
};

describe("parseCatalogSources", () => {
  it("accepts packages and remotes in the registry's terms with our crawl block", () => {
    const sources = parseCatalogSources(
      JSON.stringify([
        { ...entry, crawl: { args: ["{SANDBOX}"], env: { TOKEN: "placeholder" }, needs: "redis" } },
        { name: "com.example/remote", description: "Remote", remote: { type: "streamable-http", url: "https://mcp.example.com/mcp" } },
      ]),
    );
    expect(sources.map((s) => s.name)).toEqual(["io.github.acme/server", "com.example/remote"]);
  });

  it("names every problem at its place", () => {
    const bad = [
      { ...entry, name: "no-slash", description: "x".repeat(101) },
      { ...entry, name: "io.github.acme/other", package: { ...entry.package, version: "^1.0.0" } },
      { ...entry, name: "io.github.acme/both", remote: { type: "streamable-http", url: "https://x.example/mcp" } },
      { ...entry, name: "io.github.acme/extra", crawl: { env: { "BAD NAME": "x" } }, unknown: 1 },
    ];
    let message = "";
    try {
      parseCatalogSources(JSON.stringify(bad));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^catalog\/sources.json has errors:/);
    expect(message).toContain("[0].name: a reverse-DNS name with one slash");
    expect(message).toContain("[0].description:");
    expect(message).toContain("[1].package.version: an exact version such as 1.2.3");
    expect(message).toContain("[2]: give either a package or a remote, not both");
    expect(message).toContain('[3].crawl.env["BAD NAME"]');
    expect(message).toContain("[3]: Unrecognized key");
  });

  it("refuses a name given twice, and text that is not JSON", () => {
    expect(() => parseCatalogSources(JSON.stringify([entry, entry]))).toThrow("catalog/sources.json names io.github.acme/server twice.");
    expect(() => parseCatalogSources("[")).toThrow(/^catalog\/sources.json is not JSON/);
  });
});
