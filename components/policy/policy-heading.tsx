import Link from "next/link";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { RelativeTime } from "@/components/relative-time";
import type { PolicyState } from "@/lib/query-hooks/policies";
import type { ServerView } from "@/lib/query-hooks/servers";

/** The policy page's title, and which version is active (the one the gateway enforces). */
export function PolicyHeading({ server, active }: { server: ServerView; active: PolicyState["active"] }) {
  return (
    <div>
      <Breadcrumbs items={[{ href: "/servers", label: "Servers" }, { href: `/servers/${server.id}`, label: server.name }, { label: "Policy" }]} />
      <div className="flex flex-wrap items-start justify-between gap-4 sm:flex-nowrap">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight break-all">Policy for {server.name}</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400" data-testid="active-policy">
            {active ? (
              <>
                The active policy is <span className="font-medium text-zinc-900 dark:text-zinc-100">version {active.version}</span>, saved by {active.createdBy}{" "}
                <RelativeTime value={active.createdAt} />: “{active.message}”
              </>
            ) : (
              "No policy saved yet. The draft below denies every tool until a rule allows it; save it to make it the first version."
            )}
          </p>
        </div>
        <Link
          href={`/servers/${server.id}`}
          className="inline-flex h-10 shrink-0 items-center rounded-md border border-zinc-300 bg-white px-4 text-sm font-medium whitespace-nowrap hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
        >
          Server and tools
        </Link>
      </div>
    </div>
  );
}
