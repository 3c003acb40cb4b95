import { randomUUID } from "node:crypto";
import { z } from "zod";
import { liveSessionUserId } from "@/lib/auth/live-session-user-id";
import { resolveSessionCaller } from "@/lib/auth/resolve-session-caller";
import { parseCookies, sessionIdFromCookies } from "@/lib/auth/session-user-id";
import { getPool } from "@/lib/db/client";
import { env, publicUrl } from "@/lib/env";
import { ApiError } from "@/lib/http/api-error";
import { validationError } from "@/lib/http/api-route";
import { isConsoleOrigin } from "@/lib/http/is-console-origin";
import { problemResponse } from "@/lib/http/problem";
import { readJsonBody } from "@/lib/http/read-json-body";
import { createLogger } from "@/lib/log/log";
import { decideConsent } from "@/lib/oauth/consents";
import { oauthIssuer } from "@/lib/oauth-endpoints/issuer";

// POST /authorize/consent: the consent form's answer (components/oauth/consent-form.tsx). It is the console's own
// form, so it takes the session cookie only, never a personal access token, and it must come from the console's
// origin (the check apiRoute makes for unsafe methods, required here: the form is always a browser's request). The
// CSRF token bound to the session, and single use, are decideConsent's. The answer is where to send the browser.

const log = createLogger("oauth");

const consentBodySchema = z.strictObject({
  consent: z.uuid({ error: "consent must be the id of the consent page's request." }),
  // Optional in the schema so that a missing token is refused as a CSRF failure (403), not as a malformed form.
  csrfToken: z.string().max(200).optional(),
  decision: z.enum(["approve", "deny"], { error: 'decision must be "approve" or "deny".' }),
  grant: z.string().max(100).default("new"),
});

export async function consentEndpoint(request: Request): Promise<Response> {
  const requestId = randomUUID();
  try {
    const origin = request.headers.get("origin");
    if (origin === null || !isConsoleOrigin(origin, request, [env.NEXTAUTH_URL, publicUrl()])) {
      throw new ApiError(
        403,
        "cross_origin",
        `This answer came from ${origin === null ? "no web page" : `another site (Origin: ${JSON.stringify(origin.slice(0, 100))})`} and was refused: consent is given on Portcullis's own consent page only.`,
      );
    }
    const sessionId = await sessionIdFromCookies(parseCookies(request.headers.get("cookie") ?? ""));
    const userId = sessionId ? await liveSessionUserId(sessionId) : null;
    const caller = userId ? await resolveSessionCaller(userId) : null;
    if (!sessionId || !caller) {
      throw new ApiError(401, "unauthenticated", "You are not signed in any more: sign in, then start the sign-in again from your client.");
    }
    const parsed = consentBodySchema.safeParse(await readJsonBody(request, 4096));
    if (!parsed.success) throw validationError("body", parsed.error);
    const body = parsed.data;
    const { redirectTo } = await decideConsent(
      getPool(),
      { userId: caller.userId, email: caller.email, workspaceId: caller.workspaceId, sessionId },
      { consentId: body.consent, csrfToken: body.csrfToken, decision: body.decision, grant: body.grant },
      oauthIssuer(request),
    );
    return Response.json({ redirectTo }, { headers: { "cache-control": "no-store", "x-request-id": requestId } });
  } catch (error) {
    if (error instanceof ApiError) {
      return problemResponse({ status: error.status, code: error.code, detail: error.message, errors: error.errors, requestId }, error.headers);
    }
    log.error("consent failed", { requestId, error });
    return problemResponse({ status: 500, code: "internal_error", detail: `Something went wrong on our side. Quote request id ${requestId} if you report it.`, requestId });
  }
}
