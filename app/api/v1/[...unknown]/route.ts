import { randomUUID } from "node:crypto";
import { problemResponse } from "@/lib/http/problem";

// Unknown API paths answer in problem+json like the rest of the API, not with the console's HTML 404 page.
function notFound(request: Request) {
  const path = new URL(request.url).pathname;
  return problemResponse({
    status: 404,
    code: "no_such_route",
    detail: `There is no API route ${request.method} ${path}. The routes are listed at /api/v1/openapi.json.`,
    requestId: randomUUID(),
  });
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
