import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/next-auth";
import type { Caller } from "@/lib/auth/caller";
import { resolveSessionCaller } from "@/lib/auth/resolve-session-caller";

/** The signed-in caller for a server component, or null. */
export async function currentCaller(): Promise<Caller | null> {
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: string } | undefined)?.id;
  return id ? resolveSessionCaller(id) : null;
}
