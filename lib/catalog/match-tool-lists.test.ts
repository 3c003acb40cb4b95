import { describe, expect, it } from "vitest";
import { compareMatches, matchToolLists, type ToolListSide } from "@/lib/catalog/match-tool-lists";

const side = (serverInfoName: string | null, names: string): ToolListSide => ({ serverInfoName, toolNames: names ? names.split(" ") : [] });

describe("matchToolLists", () => {
  it.each([
    ["the same tools", side(null, "a b c"), side(null, "a b c"), { basis: "tool-names", shared: 3 }],
    ["most tools on both sides", side(null, "a b c x"), side(null, "a b c d"), { basis: "tool-names", shared: 3 }],
    ["a newer version with many more tools and the same serverInfo", side("srv", "a b c d e f g"), side("srv", "a b"), { basis: "server-info", shared: 2 }],
    ["the same serverInfo even when names mostly differ", side("srv", "a x y z"), side("srv", "a b c d"), { basis: "server-info", shared: 1 }],
    ["one tool each, the same", side(null, "search"), side(null, "search"), { basis: "tool-names", shared: 1 }],
    ["half the catalog's tools is not most", side(null, "a b"), side(null, "a b c d"), null],
    ["most of the catalog's tools but few of the live ones", side(null, "a b c d e f g"), side(null, "a b"), null],
    ["one shared generic name", side("one", "search fetch"), side("other", "search index"), null],
    ["the same serverInfo and no tool in common", side("srv", "a b"), side("srv", "c d"), null],
    ["no tools live", side("srv", ""), side("srv", "a"), null],
    ["unknown serverInfo on both sides is not a match by itself", side(null, "a x y"), side(null, "a b c"), null],
  ])("%s", (_label, live, catalog, expected) => {
    expect(matchToolLists(live, catalog)).toEqual(expected);
  });

  it("counts a name listed twice once", () => {
    expect(matchToolLists(side(null, "a a b"), side(null, "a b"))).toEqual({ basis: "tool-names", shared: 2 });
  });
});

describe("compareMatches", () => {
  it("ranks the serverInfo match first, then more shared tools, then fewer left over", () => {
    const byInfo = { basis: "server-info" as const, shared: 2, catalogTools: 9, liveTools: 9 };
    const many = { basis: "tool-names" as const, shared: 8, catalogTools: 9, liveTools: 9 };
    const exact = { basis: "tool-names" as const, shared: 8, catalogTools: 8, liveTools: 8 };
    expect([many, exact, byInfo].sort(compareMatches)).toEqual([byInfo, exact, many]);
  });
});
