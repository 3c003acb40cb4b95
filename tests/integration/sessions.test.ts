import { randomUUID } from "node:crypto";
import { encode, type JWT } from "next-auth/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import { endSession } from "@/lib/auth/end-session";
import { liveSessionUserId } from "@/lib/auth/live-session-user-id";
import { authOptions } from "@/lib/auth/next-auth";
import { hashSessionId } from "@/lib/auth/session-id";
import { startSession } from "@/lib/auth/start-session";
import { getPrisma } from "@/lib/db/client";
import { authSecret } from "@/lib/env";
import { createToken } from "@/lib/tokens/create-token";
import * as meRoute from "@/app/api/v1/me/route";
import * as sessionsRoute from "@/app/api/v1/sessions/route";
import * as tokensRoute from "@/app/api/v1/tokens/route";

// Sessions end on the server: the route handlers and next-auth's own callbacks, called in-process against the real
// database. (e2e/sessions.spec.ts does the same over HTTP, through two app instances and a browser.)

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const noParams = { params: Promise.resolve({}) };
const PASSWORD = "a sturdy gate of oak";

async function newAccount() {
  const email = `session-${randomUUID()}@example.com`;
  const account = await signUp({ email, password: PASSWORD });
  return { email, userId: account.user.id, workspaceId: account.workspace.id };
}

/** Signs in the way the credentials callback does: authorize(), then the jwt callback, then the cookie. */
async function signIn(email: string): Promise<{ cookie: string; token: JWT }> {
  const provider = authOptions.providers[0] as unknown as { options: { authorize: (c: unknown, r: unknown) => Promise<unknown> } };
  const user = await provider.options.authorize({ email, password: PASSWORD }, { headers: { "x-forwarded-for": "192.0.2.1" } });
  const token = (await authOptions.callbacks!.jwt!({ token: {}, user, account: null, trigger: "signIn" } as never)) as JWT;
  return { cookie: await cookieFor(token), token };
}

async function cookieFor(token: JWT): Promise<string> {
  return `next-auth.session-token=${await encode({ token, secret: authSecret() })}`;
}

function call(route: { GET?: unknown; POST?: unknown; DELETE?: unknown }, method: "GET" | "POST" | "DELETE", path: string, headers: Record<string, string>, body?: unknown) {
  return (route[method] as Handler)(
    new Request(`http://localhost${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    noParams,
  );
}

const me = (cookie: string) => call(meRoute, "GET", "/api/v1/me", { cookie });

let account: Awaited<ReturnType<typeof newAccount>>;

beforeAll(async () => {
  account = await newAccount();
});

describe("a session", () => {
  it("carries only a session id, stored as its SHA-256 digest with the session's times", async () => {
    const { token } = await signIn(account.email);
    expect(Object.keys(token)).toEqual(["sid"]);
    const row = await getPrisma().userSession.findUniqueOrThrow({ where: { idHash: hashSessionId(token.sid as string) } });
    expect(row).toMatchObject({ userId: account.userId, revokedAt: null });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(30 * 24 * 60 * 60 * 1000);
    expect(row.idHash).not.toContain(token.sid as string);
  });

  it("works as before until it ends: reads and writes through the API", async () => {
    const { cookie } = await signIn(account.email);
    for (let i = 0; i < 3; i++) {
      const response = await me(cookie);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ user: { email: account.email }, authenticatedWith: "session" });
    }
    expect((await call(tokensRoute, "POST", "/api/v1/tokens", { cookie }, { name: "from a session" })).status).toBe(201);
  });

  it("is refused once signed out (next-auth's sign-out event), though its cookie is still validly signed", async () => {
    const { cookie, token } = await signIn(account.email);
    const other = await signIn(account.email);
    expect((await me(cookie)).status).toBe(200);

    await authOptions.events!.signOut!({ token, session: null as never });
    const replayed = await me(cookie);
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({ code: "unauthenticated" });
    // GET /api/auth/session runs the jwt callback: an ended session throws there, so next-auth answers "signed out".
    await expect(authOptions.callbacks!.jwt!({ token } as never)).rejects.toThrow(/session has ended/);
    // Only that session ended.
    expect((await me(other.cookie)).status).toBe(200);
    await expect(authOptions.callbacks!.jwt!({ token: other.token } as never)).resolves.toEqual(other.token);
  });

  it("from before sessions were recorded (no session id in the cookie) is refused", async () => {
    const legacy = await cookieFor({ sub: account.userId, email: account.email });
    expect((await me(legacy)).status).toBe(401);
  });

  it("is refused once expired, and its row is deleted at the next sign-in", async () => {
    const longAgo = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000);
    const sid = await startSession(account.userId, longAgo);
    expect((await me(await cookieFor({ sid }))).status).toBe(401);
    await signIn(account.email);
    expect(await getPrisma().userSession.findUnique({ where: { idHash: hashSessionId(sid) } })).toBeNull();
  });

  it("records when it was last seen, at most every 5 minutes", async () => {
    const start = new Date(Date.now() - 60 * 60_000);
    const sid = await startSession(account.userId, start);
    const lastSeen = async () => (await getPrisma().userSession.findUniqueOrThrow({ where: { idHash: hashSessionId(sid) } })).lastSeenAt;
    expect(await liveSessionUserId(sid, new Date(start.getTime() + 4 * 60_000))).toBe(account.userId);
    expect(await lastSeen()).toEqual(start);
    const later = new Date(start.getTime() + 6 * 60_000);
    expect(await liveSessionUserId(sid, later)).toBe(account.userId);
    expect(await lastSeen()).toEqual(later);
    await endSession(sid);
    expect(await liveSessionUserId(sid)).toBeNull();
  });
});

describe("DELETE /api/v1/sessions (sign out everywhere)", () => {
  it("ends every session of the caller's account, this one included, and no one else's; tokens keep working", async () => {
    const owner = await newAccount();
    const stranger = await newAccount();
    const [laptop, phone, strangers] = await Promise.all([signIn(owner.email), signIn(owner.email), signIn(stranger.email)]);
    const { token } = await createToken({ userId: owner.userId, workspaceId: owner.workspaceId }, { name: "ci" });

    const response = await call(sessionsRoute, "DELETE", "/api/v1/sessions", { cookie: laptop.cookie });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ endedSessions: 2 });

    expect((await me(laptop.cookie)).status).toBe(401);
    expect((await me(phone.cookie)).status).toBe(401);
    expect((await me(strangers.cookie)).status).toBe(200);
    expect((await call(meRoute, "GET", "/api/v1/me", { authorization: `Bearer ${token}` })).status).toBe(200);
    // Signing in again starts a session that works.
    expect((await me((await signIn(owner.email)).cookie)).status).toBe(200);
  });

  it("can be asked with a personal access token, and needs some credential", async () => {
    const owner = await newAccount();
    const browser = await signIn(owner.email);
    const { token } = await createToken({ userId: owner.userId, workspaceId: owner.workspaceId }, { name: "ci" });
    const response = await call(sessionsRoute, "DELETE", "/api/v1/sessions", { authorization: `Bearer ${token}` });
    expect(await response.json()).toEqual({ endedSessions: 1 });
    expect((await me(browser.cookie)).status).toBe(401);
    expect((await call(sessionsRoute, "DELETE", "/api/v1/sessions", {})).status).toBe(401);
  });
});
