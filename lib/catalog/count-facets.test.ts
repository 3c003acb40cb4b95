import { describe, expect, it } from "vitest";
import { countFacets, type FacetGroup } from "@/lib/catalog/count-facets";

const group = (level: string | null, categories: string[], transports: string[], registryTypes: string[], n: number): FacetGroup => ({
  level,
  categories,
  transports,
  registryTypes,
  n,
});

// Three sets of tools: 5 high writes over stdio from npm, 3 critical deletes over stdio and HTTP from pypi, 2 low
// reads over HTTP from npm.
const tools = [
  group("high", ["write"], ["stdio"], ["npm"], 5),
  group("critical", ["destructive"], ["stdio", "streamable-http"], ["pypi"], 3),
  group("low", ["read"], ["streamable-http"], ["npm"], 2),
];

describe("countFacets", () => {
  it("counts everything when nothing is filtered, every level and category listed", () => {
    expect(countFacets(tools, {})).toEqual({
      total: 10,
      facets: {
        level: { low: 2, medium: 0, high: 5, critical: 3 },
        category: { read: 2, write: 5, execute: 0, destructive: 3, financial: 0, communication: 0, access_control: 0 },
        transport: { stdio: 8, "streamable-http": 5 },
        registryType: { npm: 7, pypi: 3 },
      },
    });
  });

  it.each([
    // filters, total, the level facet (its own filter left out), the transport facet
    [{ level: ["high", "critical"] }, 8, { low: 2, medium: 0, high: 5, critical: 3 }, { stdio: 8, "streamable-http": 3 }],
    [{ transport: ["streamable-http"] }, 5, { low: 2, medium: 0, high: 0, critical: 3 }, { stdio: 8, "streamable-http": 5 }],
    [{ level: ["high"], transport: ["streamable-http"] }, 0, { low: 2, medium: 0, high: 0, critical: 3 }, { stdio: 5 }],
    [{ registryType: ["pypi"], category: ["destructive", "read"] }, 3, { low: 0, medium: 0, high: 0, critical: 3 }, { stdio: 3, "streamable-http": 3 }],
  ])("with %j: total %i, each facet leaving out its own filter", (filters, total, level, transport) => {
    const counted = countFacets(tools, filters);
    expect(counted.total).toBe(total);
    expect(counted.facets.level).toEqual(level);
    expect(counted.facets.transport).toEqual(transport);
  });

  it("counts a server once in each of its categories, leaves a server with no level out of the level facet, and offers no value without matches", () => {
    const servers = [group("high", ["read", "write"], ["stdio"], ["npm"], 4), group(null, [], ["stdio"], ["npm"], 6), group("low", ["read"], ["sse"], ["oci"], 0)];
    const { total, facets } = countFacets(servers, {});
    expect(total).toBe(10);
    expect(facets.level).toEqual({ low: 0, medium: 0, high: 4, critical: 0 });
    expect(facets.category).toMatchObject({ read: 4, write: 4 });
    expect(facets.transport).toEqual({ stdio: 10 });
    expect(facets.registryType).toEqual({ npm: 10 });
    expect(countFacets(servers, { level: ["low", "high"] }).total).toBe(4);
  });
});
