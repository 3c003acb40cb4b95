// Keyset cursors for catalog searches: the sort and the sort-key values of the last row of a page, as base64url
// JSON. Opaque to clients; a cursor made for another sort is refused rather than misread.

export type CursorValue = string | number;

export function encodeCursor(sort: string, values: CursorValue[]): string {
  return Buffer.from(JSON.stringify({ s: sort, v: values })).toString("base64url");
}

/** The values, or null when the cursor is malformed or belongs to another sort. */
export function decodeCursor(cursor: string, sort: string, types: readonly ("string" | "number")[]): CursorValue[] | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { s?: unknown; v?: unknown };
    if (parsed.s !== sort || !Array.isArray(parsed.v) || parsed.v.length !== types.length) return null;
    const values = parsed.v as unknown[];
    return values.every((v, i) => typeof v === types[i] && (typeof v !== "number" || Number.isFinite(v))) ? (values as CursorValue[]) : null;
  } catch {
    return null;
  }
}
