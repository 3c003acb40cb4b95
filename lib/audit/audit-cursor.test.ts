import { describe, expect, it } from "vitest";
import { decodeAuditCursor, encodeAuditCursor } from "@/lib/audit/audit-cursor";

describe("audit cursors", () => {
  it("round-trips a position to the millisecond", () => {
    const position = { at: new Date("2026-11-26T09:30:00.123Z"), id: "0b7a6c1e-9a55-4f4e-8c39-2f8e0d9b1a22" };
    const cursor = encodeAuditCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeAuditCursor(cursor)).toEqual(position);
  });

  it.each([
    ["empty", ""],
    ["not base64url", "abc+/="],
    ["another text", Buffer.from("hello").toString("base64url")],
    ["no id", Buffer.from("2026-11-26T09:30:00.123Z/").toString("base64url")],
    ["an impossible date", Buffer.from("2026-02-30T09:30:00.123Z/0b7a6c1e-9a55-4f4e-8c39-2f8e0d9b1a22").toString("base64url")],
    ["too long", "A".repeat(500)],
  ])("refuses %s", (_name, cursor) => {
    expect(decodeAuditCursor(cursor)).toBeNull();
  });
});
