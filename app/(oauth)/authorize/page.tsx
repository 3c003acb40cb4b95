import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthorizeError } from "@/components/oauth/authorize-error";
import { ConsentPage } from "@/components/oauth/consent-page";
import { requireCaller } from "@/lib/auth/current-caller";
import { sessionIdFromCookies } from "@/lib/auth/session-user-id";
import { getPool } from "@/lib/db/client";
import { checkAuthorizationRequest } from "@/lib/oauth/check-authorization-request";
import { openConsent } from "@/lib/oauth/consents";
import { oauthIssuer } from "@/lib/oauth-endpoints/issuer";

export const metadata: Metadata = { title: "Allow an MCP client" };

type SearchParams = Record<string, string | string[] | undefined>;

function toParams(raw: SearchParams): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(raw)) for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(name, v);
  return params;
}

/**
 * GET /authorize: the OAuth authorization endpoint. The request is checked before sign-in (lib/oauth/
 * check-authorization-request.ts: shown here, or sent back to the client); then the person signs in, as for any
 * console page, and sees the consent page for a server of their workspace.
 */
export default async function AuthorizePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const issuer = oauthIssuer({ headers: await headers() });
  const check = await checkAuthorizationRequest(getPool(), toParams(await searchParams), issuer);
  if (check.outcome === "show") return <AuthorizeError error={check.error} />;
  if (check.outcome === "redirect") redirect(check.url);

  const caller = await requireCaller();
  const sessionId = await sessionIdFromCookies(Object.fromEntries((await cookies()).getAll().map((c) => [c.name, c.value])));
  // requireCaller found a live session, so its id is there; this only satisfies the types.
  if (!sessionId) return <AuthorizeError error={new Error("Your session could not be read: sign in again.")} />;
  const opened = await openConsent(getPool(), { caller, sessionId, request: check.request, client: check.client, serverId: check.serverId, issuer });
  if (!opened.ok) return <AuthorizeError error={opened.error} />;
  return <ConsentPage view={opened.view} email={caller.email} />;
}
