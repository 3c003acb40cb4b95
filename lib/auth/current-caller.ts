import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { authOptions } from "@/lib/auth/next-auth";
import type { Caller } from "@/lib/auth/caller";
import { resolveSessionCaller } from "@/lib/auth/resolve-session-caller";

/** The signed-in caller for a server component, or null. */
export async function currentCaller(): Promise<Caller | null> {
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: string } | undefined)?.id;
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
