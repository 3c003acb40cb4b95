import { ApiError } from "@/lib/http/api-error";

// The public catalog reads through a small pool of its own whose statements PostgreSQL cancels past a time limit
// (lib/db/client.ts). Those two refusals are the bounds working, not a failure of the database: they get answers
// of their own, saying what to do, instead of "the database cannot be reached".

/** PostgreSQL's SQLSTATE for a statement it cancelled (statement_timeout). */
const QUERY_CANCELED = "57014";

export const catalogBusy = () =>
  new ApiError(503, "catalog_busy", "The catalog is answering as many searches as it may at once. Try again in a moment.", [], { "retry-after": "2" });

export const catalogTooSlow = (what: string) =>
  new ApiError(
    503,
    "catalog_query_too_slow",
    `${what} took longer than the catalog allows one request, so it was stopped. Add a more specific word or a filter and try again.`,
    [],
    { "retry-after": "2" },
  );

/** Runs a public catalog read, turning its pool's refusals into the answers above. */
export async function boundedCatalogRead<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    if (code === QUERY_CANCELED) throw catalogTooSlow(what);
    if (typeof message === "string" && /timeout exceeded when trying to connect/i.test(message)) throw catalogBusy();
    throw error;
  }
}
