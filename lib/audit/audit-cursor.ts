// An opaque position in the audit trail: the (at, id) of one row, the order the trail is listed in. Clients pass
// it back as `cursor` (rows older than it) or `after` (rows newer than it) and never need to read it.

export interface AuditPosition {
  /** The row's time, to the millisecond (the column is timestamptz(3)). */
  at: Date;
  id: string;
}

const POSITION = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function encodeAuditCursor(position: AuditPosition): string {
  return Buffer.from(`${position.at.toISOString()}/${position.id.toLowerCase()}`, "utf8").toString("base64url");
}

/** The position a cursor names, or null when it is not one this code produced. */
export function decodeAuditCursor(cursor: string): AuditPosition | null {
  if (cursor.length > 120 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const match = POSITION.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) return null;
  const at = new Date(match[1]!);
  if (Number.isNaN(at.getTime()) || at.toISOString() !== match[1]) return null;
  return { at, id: match[2]! };
}
