import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import type { Caller } from "@/lib/auth/caller";
import { resolveSessionCaller } from "@/lib/auth/resolve-session-caller";
import { sessionUserIdFromCookies } from "@/lib/auth/session-user-id";

/** The signed-in caller for a server component, or null: the same check as the API's (a live session). */
export async function currentCaller(): Promise<Caller | null> {
  const all = Object.fromEntries((await cookies()).getAll().map((cookie) => [cookie.name, cookie.value]));
  const id = await sessionUserIdFromCookies(all);
  return id ? resolveSessionCaller(id) : null;
}

/**
 * The signed-in caller, or a redirect to sign-in. Pages call it too, not only the console layout: Next.js
 * renders a layout and its page concurrently, so a page cannot rely on the layout's redirect.
 */
export async function requireCaller(): Promise<Caller> {
  const caller = await currentCaller();
  if (caller) return caller;
  const path = (await headers()).get("x-portcullis-path") ?? "/servers";
  redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
}
