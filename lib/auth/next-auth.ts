import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { authenticate } from "@/lib/accounts/authenticate";
import { endSession } from "@/lib/auth/end-session";
import { liveSessionUserId } from "@/lib/auth/live-session-user-id";
import { SESSION_MAX_AGE_SECONDS, startSession } from "@/lib/auth/start-session";
import { authSecret } from "@/lib/env";
import { createLogger } from "@/lib/log/log";

export { SESSION_MAX_AGE_SECONDS };

// Email + password sign-in with JWT session cookies (HttpOnly, SameSite=Lax, Secure when served over HTTPS,
// which next-auth decides from the request's origin). The message of an error thrown in authorize() is what
// the sign-in form shows, so each one says what to do.
//
// The cookie carries only a session id (`sid`); the session itself is a row in PostgreSQL (lib/auth/start-session.ts)
// that sign-out ends, so a copied cookie stops working everywhere once its owner signs out.
export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials, req) {
        const email = credentials?.email ?? "";
        const password = credentials?.password ?? "";
        if (!email.trim() || !password) throw new Error("Enter your email and your password.");
        const forwarded = req?.headers?.["x-forwarded-for"];
        const ip = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim() || "unknown";
        const result = await authenticate(email, password, ip);
        if (!result.ok) throw new Error(result.message);
        const sessionId = await startSession(result.user.id).catch((error: unknown) => {
          createLogger("auth").error("could not record a session", { error });
          throw new Error("Your session could not be started. Try again in a moment.");
        });
        return { id: result.user.id, email: result.user.email, name: result.user.name, sessionId };
      },
    }),
  ],
  callbacks: {
    // At sign-in the token is only the session id. Afterwards (GET /api/auth/session) an ended session throws,
    // which makes next-auth answer "no session" and clear the cookie.
    async jwt({ token, user }) {
      if (user) return { sid: (user as { sessionId?: string }).sessionId };
      if (!(await liveSessionUserId(token.sid))) throw new Error("This session has ended: sign in again.");
      return token;
    },
    session({ session }) {
      return { expires: session.expires };
    },
  },
  events: {
    // POST /api/auth/signout (the Sign out button): end the session on the server, not only its cookie.
    async signOut({ token }) {
      await endSession(token?.sid);
    },
  },
};
