import { describe, expect, it } from "vitest";
import { serverIdForResource } from "@/lib/oauth/resource";

const ID = "0b8f2f0e-6a7b-4a57-9a43-2d3c1b6e9f10";
const ORIGIN = "https://portcullis.example.com";

describe("serverIdForResource", () => {
  it("reads the server id of one of this origin's gateway URLs", () => {
    expect(serverIdForResource(`${ORIGIN}/gateway/${ID}/mcp`, ORIGIN)).toBe(ID);
    expect(serverIdForResource(`${ORIGIN}/gateway/${ID}/mcp`, `${ORIGIN}/`)).toBe(ID);
  });

  it.each([
    [`https://other.example.com/gateway/${ID}/mcp`, "another origin"],
    [`${ORIGIN}/gateway/${ID}/mcp/`, "a trailing slash"],
    [`${ORIGIN}/gateway/${ID}/mcp?x=1`, "a query"],
    [`${ORIGIN}/gateway/${ID.toUpperCase()}/mcp`, "an upper-case id"],
    [`${ORIGIN}/gateway/not-an-id/mcp`, "no id"],
    [`${ORIGIN}/gateway/${ID}/sse`, "another path"],
    [`${ORIGIN}:443/gateway/${ID}/mcp`, "a default port written out"],
    ["not a url", "no URL"],
  ])("refuses %s (%s)", (resource) => {
    expect(serverIdForResource(resource, ORIGIN)).toBeNull();
  });
});
