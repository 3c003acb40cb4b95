// Errors a domain function can throw for the API layer to turn into RFC 9457 problem+json.

export interface FieldError {
  /** JSON path of the offending field, e.g. "body.password" or "query.limit". */
  path: string;
  message: string;
  /** Where in a submitted text (a policy) the problem is, 1-based. */
  line?: number;
  column?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (what = "That resource") =>
  new ApiError(404, "not_found", `${what} does not exist, or you do not have access to it.`);
