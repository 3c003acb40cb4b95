import type pg from "pg";

/** A pg.Pool (or a client): anything that runs a query. The gateway's stores and the approvals take one. */
export type Queryable = Pick<pg.Pool, "query">;
