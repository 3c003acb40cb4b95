// The console's only way to call its API: JSON in, JSON out, and problem+json turned into an ApiProblem the
// UI can show (its detail, and each field's message by path).

export interface ProblemBody {
  status: number;
  code: string;
  detail: string;
  requestId?: string;
  errors?: { path: string; message: string }[];
}

export class ApiProblem extends Error {
  constructor(readonly problem: ProblemBody) {
    super(problem.detail);
    this.name = "ApiProblem";
  }

  /** The message for one field, by its path without the "body." prefix (e.g. "password"). */
  fieldError(field: string): string | undefined {
    return this.problem.errors?.find((e) => e.path === `body.${field}` || e.path === field)?.message;
  }
}

export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? "GET",
      headers: init.body === undefined ? {} : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiProblem({ status: 0, code: "network_error", detail: "Portcullis could not be reached. Check your connection and try again." });
  }
  const text = await response.text();
  const data: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const problem = data as Partial<ProblemBody> | undefined;
    throw new ApiProblem({
      status: response.status,
      code: problem?.code ?? "http_error",
      detail: problem?.detail ?? `The server answered ${response.status}. Try again in a moment.`,
      requestId: problem?.requestId,
      errors: problem?.errors,
    });
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
