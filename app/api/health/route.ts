import { getHealth } from "@/lib/api-contract/operations";
import { checkDatabase } from "@/lib/health/check-database";
import { apiRoute } from "@/lib/http/api-route";
import { APP_VERSION } from "@/lib/version";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getHealth, async () => {
  const database = await checkDatabase();
  const up = database.status === "up";
  return { status: up ? 200 : 503, body: { status: up ? "ok" : "unavailable", database, version: APP_VERSION } };
});
