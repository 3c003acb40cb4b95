// A hand-written SELECT whose column list and row type are one object: each field is named once, beside its SQL and
// the type pg returns for it, so the list and the type cannot drift apart. For reads Prisma cannot express (keyset
// pages over tuples, LIKE patterns, ordering by an expression).

declare const valueType: unique symbol;

/** One selected column: its SQL expression, and (as a type only) what pg returns for it. */
export interface Column<T> {
  readonly sql: string;
  readonly [valueType]?: T;
}

export function column<T>(sql: string): Column<T> {
  return { sql };
}

export type Columns = Record<string, Column<unknown>>;

/** The row a SELECT of these columns returns, keyed by field name. */
export type RowOf<C extends Columns> = { [K in keyof C]: C[K] extends Column<infer T> ? T : never };

/** `expression AS "field", ...`: each column comes back under its field name. */
export function selectList(columns: Columns): string {
  return Object.entries(columns)
    .map(([field, { sql }]) => `${sql} AS "${field}"`)
    .join(", ");
}
