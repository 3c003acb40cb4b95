"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { ActivityFilterBar, type FilterChange, type Option } from "@/components/activity/activity-filter-bar";
import { isFiltered, readActivityFilters, toAuditFilters, writeActivityFilters, NO_FILTERS, type ActivityFilters } from "@/components/activity/activity-params";
import { ActivityTable } from "@/components/activity/activity-table";
import { shortId } from "@/components/activity/format";
import { LiveStatus, type LiveState } from "@/components/activity/live-status";
import { LoadError } from "@/components/load-error";
import { PageHeader } from "@/components/page-header";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingText } from "@/components/ui/loading-text";
import { useNow } from "@/components/use-now";
import { allEvents, useAuditEvents, useLiveAuditEvents } from "@/lib/query-hooks/audit";
import { useGrants } from "@/lib/query-hooks/grants";
import { useServers } from "@/lib/query-hooks/servers";

const NO_IDS: ReadonlySet<string> = new Set();

export function ActivityView() {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const search = searchParams.toString();
  // A change is shown at once: the URL it is written to reaches useSearchParams a moment later (in a transition), and
  // until then a controlled checkbox would spring back. Once the URL moves (to the change, or anywhere else: back
  // button), the URL is the truth again.
  const [pending, setPending] = useState<{ filters: ActivityFilters; before: string } | null>(null);
  const filters = pending && pending.before === search ? pending.filters : readActivityFilters(new URLSearchParams(search));
  const query = toAuditFilters(filters);
  const rangeError = filters.from && filters.to && filters.from >= filters.to ? "The end of the range must be after its start." : null;

  const [paused, setPaused] = useState(false);
  const now = useNow(30_000);
  // A range that has ended can get no new calls.
  const ended = Boolean(filters.to && new Date(filters.to) <= now);
  const events = useAuditEvents(query, !rangeError);
  const live = useLiveAuditEvents(query, !paused && !ended && !rangeError && events.isSuccess && !events.isPlaceholderData);
  const liveState: LiveState = ended || rangeError ? "off" : paused ? "paused" : live.isError ? "reconnecting" : "live";
  const fresh = useMemo(() => (liveState === "live" && live.data ? new Set(live.data.added) : NO_IDS), [liveState, live.data]);

  const servers = useServers();
  const grants = useGrants();
  const serverOptions = useMemo(
    () => options("All servers", servers.data?.map((s) => ({ value: s.id, label: s.name })), filters.server, "server"),
    [servers.data, filters.server],
  );
  const grantOptions = useMemo(
    () =>
      options("All grants", grants.data?.map((g) => ({ value: g.id, label: g.revokedAt ? `${g.name} (revoked)` : g.name })), filters.grant, "grant"),
    [grants.data, filters.grant],
  );

  function apply(change: FilterChange) {
    // On top of the URL as it is now: two quick changes must not undo each other before a render.
    const current = readActivityFilters(new URLSearchParams(window.location.search));
    const next = { ...current, ...(typeof change === "function" ? change(current) : change) };
    const params = writeActivityFilters(next);
    if (params.toString() !== window.location.search.replace(/^\?/, "")) setPending({ filters: readActivityFilters(params), before: search });
    // The browser's history API updates useSearchParams without asking the server for the page again.
    window.history.replaceState(null, "", params.size ? `${pathname}?${params}` : pathname);
  }

  const rows = useMemo(() => allEvents(events.data), [events.data]);
  const filtered = isFiltered(filters);

  return (
    <>
      <PageHeader
        title="Activity"
        description="Every call your agents make through a gateway URL, and what Portcullis decided. Argument values are never recorded."
        actions={<LiveStatus state={liveState} onToggle={() => setPaused((p) => !p)} />}
      />
      <div className="space-y-5">
        <ActivityFilterBar filters={filters} onApply={apply} servers={serverOptions} grants={grantOptions} rangeError={rangeError} />

        {rangeError ? null : events.isPending ? (
          <LoadingText>Loading activity…</LoadingText>
        ) : events.isError ? (
          <LoadError title="The activity could not be loaded" error={events.error} onRetry={() => void events.refetch()} />
        ) : rows.length === 0 ? (
          filtered ? (
            <Card className="px-5 py-10 text-center text-sm text-zinc-600 dark:text-zinc-400">
              <p>No calls match these filters{liveState === "live" ? " yet: new ones will appear here as they happen" : ""}.</p>
              <Button variant="secondary" size="sm" className="mt-3" onClick={() => apply(NO_FILTERS)}>
                Clear filters
              </Button>
            </Card>
          ) : (
            <NoActivity />
          )
        ) : (
          <>
            <ActivityTable events={rows} fresh={fresh} dimmed={events.isPlaceholderData} now={now} />
            <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-zinc-600 dark:text-zinc-400">
              <p aria-live="polite">
                {rows.length === 1 ? "1 call" : `${rows.length} calls`} shown{events.hasNextPage ? "" : filtered ? ": every call that matches" : ": every call so far"}.
              </p>
              {events.hasNextPage && (
                <Button variant="secondary" onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
                  Load older calls
                </Button>
              )}
            </div>
            {events.isFetchNextPageError && (
              <Alert tone="error" title="Older calls could not be loaded">
                Check your connection, then press Load older calls again.
              </Alert>
            )}
          </>
        )}
      </div>
    </>
  );
}

/** Select options: "All ...", the known ones, and the chosen id when it is no longer known (deleted since). */
function options(all: string, known: Option[] | undefined, chosen: string, kind: string): Option[] {
  const list = [{ value: "", label: all }, ...(known ?? [])];
  if (chosen && known && !known.some((o) => o.value === chosen)) list.push({ value: chosen, label: `Deleted ${kind} (${shortId(chosen)})` });
  if (chosen && !known) list.push({ value: chosen, label: `Loading…` });
  return list;
}

function NoActivity() {
  return (
    <EmptyState title="No calls yet" icon={<ActivityIcon />}>
      <p>
        Every call an agent makes through a Portcullis gateway URL appears here as it happens: the tool, the key it
        used, what the policy decided and why, and how long it took. Argument values are never recorded.
      </p>
      <p>
        To get started, register a server, write its policy, create a grant key and point your agent at the
        server&apos;s gateway URL.
      </p>
      <div className="pt-3">
        <Link
          href="/servers"
          className="inline-flex h-10 items-center rounded-md bg-indigo-600 px-4 text-sm font-medium text-white hover:bg-indigo-500"
        >
          Go to your servers
        </Link>
      </div>
    </EmptyState>
  );
}

function ActivityIcon() {
  return (
    <svg viewBox="0 0 24 24" className="h-10 w-10" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M3 12h4l2.5-6 5 12 2.5-6h4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
