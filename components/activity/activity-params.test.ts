import { describe, expect, it } from "vitest";
import { NO_FILTERS, readActivityFilters, toAuditFilters, writeActivityFilters, type ActivityFilters } from "@/components/activity/activity-params";

const SERVER = "0b7a6c1e-9a55-4f4e-8c39-2f8e0d9b1a22";

describe("Activity filters in the URL", () => {
  it.each<[string, string, Partial<ActivityFilters>]>([
    ["nothing", "", {}],
    ["a server and a grant", `server=${SERVER}&grant=${SERVER.toUpperCase()}`, { server: SERVER, grant: SERVER }],
    ["a tool, trimmed", "tool=%20get_*%20", { tool: "get_*" }],
    ["tool calls only", "method=tools%2Fcall", { method: "tools/call" }],
    ["decisions, in the page's order", "decision=error,deny,nonsense", { decisions: ["deny", "error"] }],
    ["a preset range", "range=1h", { range: "1h" }],
    ["a custom range", "range=custom&from=2026-03-01T12:00:00Z&to=2026-03-01T13:00:00%2B01:00", { range: "custom", from: "2026-03-01T12:00:00.000Z", to: "2026-03-01T12:00:00.000Z" }],
  ])("reads %s", (_name, search, expected) => {
    expect(readActivityFilters(new URLSearchParams(search))).toEqual({ ...NO_FILTERS, ...expected });
  });

  it.each([
    ["ids that are not UUIDs", "server=files&grant=1"],
    ["an unknown range", "range=forever"],
    ["a method the page has no switch for", "method=initialize"],
    ["times outside a custom range", "from=2026-03-01T12:00:00Z&to=2026-03-01T13:00:00Z"],
    ["unreadable times", "range=custom&from=yesterday"],
  ])("drops %s", (_name, search) => {
    const filters = readActivityFilters(new URLSearchParams(search));
    expect({ ...filters, range: "all" }).toEqual(NO_FILTERS);
  });

  it("writes what it reads, leaving defaults out", () => {
    const search = `server=${SERVER}&tool=read_file&method=tools%2Fcall&decision=deny%2Crate_limited&range=custom&from=2026-03-01T12%3A00%3A00.000Z`;
    expect(writeActivityFilters(readActivityFilters(new URLSearchParams(search))).toString()).toBe(search);
    expect(writeActivityFilters(NO_FILTERS).toString()).toBe("");
  });

  it("asks the API for a preset as a window ending now, and for a custom range as given", () => {
    expect(toAuditFilters({ ...NO_FILTERS, range: "15m", decisions: ["deny"] })).toEqual({ sinceMs: 900_000, decision: ["deny"] });
    expect(toAuditFilters({ ...NO_FILTERS, method: "tools/call" })).toEqual({ method: "tools/call" });
    expect(toAuditFilters({ ...NO_FILTERS, range: "custom", from: "2026-03-01T12:00:00.000Z" })).toEqual({ from: "2026-03-01T12:00:00.000Z" });
    expect(toAuditFilters(NO_FILTERS)).toEqual({});
  });
});
