import { describe, expect, it } from "vitest";
import { allEvents, mergeLivePage, type AuditEvent, type AuditList } from "@/lib/query-hooks/audit";

// How live polls and older pages combine into the one list the Activity page shows.

function event(id: string, at: string): AuditEvent {
  return {
    id, cursor: `c-${id}`, at, requestId: id, server: null, grant: null, method: "tools/call", tool: "echo", decision: "allow",
    code: null, rule: null, reason: null, forwarded: true, upstreamStatus: 200, gatewayMs: 1, upstreamMs: 1, argumentNames: [], argumentsSha256: null,
  };
}
const ids = (events: AuditEvent[]) => events.map((e) => e.id);
const list = (...pages: AuditEvent[][]): AuditList => ({
  pages: pages.map((events, i) => ({ events, nextCursor: i < pages.length - 1 ? "more" : null, from: null })),
  pageParams: pages.map((_, i) => (i === 0 ? null : { cursor: "c", from: null })),
});

const T = (s: number) => `2026-03-01T12:00:${String(s).padStart(2, "0")}.000Z`;

describe("live updates", () => {
  it("puts unseen calls on top and ignores those already shown (the overlap)", () => {
    const shown = list([event("b", T(5)), event("a", T(1))]);
    const { list: merged, added } = mergeLivePage(shown, { events: [event("c", T(9)), event("b", T(5))], nextCursor: null });
    expect(added).toEqual(["c"]);
    expect(ids(allEvents(merged))).toEqual(["c", "b", "a"]);
  });

  it("places a call that committed late by its time, not on top", () => {
    const shown = list([event("c", T(9)), event("a", T(1))]);
    const { list: merged, added } = mergeLivePage(shown, { events: [event("c", T(9)), event("late", T(8))], nextCursor: null });
    expect(added).toEqual(["late"]);
    expect(ids(allEvents(merged))).toEqual(["c", "late", "a"]);
  });

  it("orders calls of the same millisecond by id, as the API does", () => {
    const shown = list([event("0a", T(5))]);
    const { list: merged } = mergeLivePage(shown, { events: [event("ff", T(5)), event("05", T(5))], nextCursor: null });
    expect(ids(allEvents(merged))).toEqual(["ff", "0a", "05"]);
  });

  it("starts again from the newest page when more arrived than one poll returns", () => {
    const shown = list([event("b", T(5))], [event("a", T(1))]);
    const { list: merged, added } = mergeLivePage(shown, { events: [event("z", T(30)), event("y", T(29))], nextCursor: "older" });
    expect(added).toEqual(["z", "y"]);
    expect(merged.pages).toHaveLength(1);
    expect(merged.pages[0]!.nextCursor).toBe("older");
    expect(ids(allEvents(merged))).toEqual(["z", "y"]);
  });

  it("replaces a call shown before its outcome was recorded, without counting it as new", () => {
    const pending = { ...event("b", T(5)), upstreamStatus: null, gatewayMs: null, upstreamMs: null };
    const shown = list([pending, event("a", T(1))]);
    const { list: merged, added } = mergeLivePage(shown, { events: [event("b", T(5))], nextCursor: null });
    expect(added).toEqual([]);
    expect(allEvents(merged).find((e) => e.id === "b")?.upstreamStatus).toBe(200);
    // A poll that still sees it pending changes nothing.
    const again = mergeLivePage(shown, { events: [pending], nextCursor: null });
    expect(again.list).toBe(shown);
  });

  it("shows a call once when it arrives live and again with an older page", () => {
    expect(ids(allEvents(list([event("c", T(9)), event("late", T(8))], [event("late", T(8)), event("a", T(1))])))).toEqual(["c", "late", "a"]);
  });
});
