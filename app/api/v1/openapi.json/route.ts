import { getOpenApi } from "@/lib/api-contract/operations";
import { buildOpenApiDocument } from "@/lib/api-contract/openapi";
import { apiRoute } from "@/lib/http/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getOpenApi, async ({ request }) => {
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  const proto = request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "");
  return { status: 200, body: buildOpenApiDocument(host ? `${proto}://${host}` : undefined) };
});
