import Link from "next/link";
import { catalogPolicyHref } from "@/components/catalog/catalog-href";

const primary = "inline-flex h-10 shrink-0 items-center rounded-md bg-indigo-600 px-4 text-sm font-medium text-white hover:bg-indigo-500";

/**
 * "Use this policy": into the policy editor of the visitor's server that is this catalog server, with the rule in an
 * unsaved draft (or registering the server first). A signed-out visitor signs in first and comes back to it.
 */
export function UseThisPolicy({ server, serverLabel, tool, signedIn }: { server: string; serverLabel: string; tool: string; signedIn: boolean }) {
  const href = catalogPolicyHref(server, tool);
  return (
    <div className="mt-4 flex flex-wrap items-center gap-3 border-t border-zinc-200 pt-4 dark:border-zinc-800">
      {/* Not prefetched: the page it opens reads the visitor's servers, which only a click should do. */}
      <Link href={signedIn ? href : `/sign-in?${new URLSearchParams({ callbackUrl: href })}`} prefetch={false} className={primary}>
        {signedIn ? "Use this policy" : "Sign in to use this policy"}
      </Link>
      <p className="min-w-0 flex-1 text-sm text-zinc-600 dark:text-zinc-400">
        Opens the policy editor of your {serverLabel} server with this rule in a draft, or has you register it first. Nothing is saved until you press
        Save.
      </p>
    </div>
  );
}
