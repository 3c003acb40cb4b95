import { getReadiness } from "@/lib/api-contract/operations";
import { apiRoute } from "@/lib/http/api-route";
import { checkReadiness } from "@/lib/health/check-readiness";
import { APP_VERSION } from "@/lib/version";

export const dynamic = "force-dynamic";

// Readiness, apart from liveness (/api/health): a load balancer sends traffic only once the schema is this build's.
export const GET = apiRoute(getReadiness, async () => {
  const { ready, database, migrations } = await checkReadiness();
  return { status: ready ? 200 : 503, body: { status: ready ? "ready" : "not_ready", database, migrations, version: APP_VERSION } };
});
