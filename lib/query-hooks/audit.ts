"use client";

import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import type { z } from "zod";
import type { auditEventSchema, listAuditEventsResponseSchema } from "@/lib/api-contract/audit-schemas";
import { apiFetch } from "@/lib/query-hooks/api-fetch";
import { auditKeys, type AuditFilters } from "@/lib/query-hooks/query-keys";

export type AuditEvent = z.output<typeof auditEventSchema>;
type AuditResponse = z.output<typeof listAuditEventsResponseSchema>;

export type { AuditFilters } from "@/lib/query-hooks/query-keys";

/** One page of the list, with the start time it was fetched with, so older pages use the same window. */
export interface AuditPage extends AuditResponse {
  from: string | null;
}

type PageParam = { cursor: string; from: string | null } | null;
export type AuditList = InfiniteData<AuditPage, PageParam>;

export const LIVE_INTERVAL_MS = 2_000;
const LIVE_OVERLAP_MS = 2_000;
/** A forwarded call's outcome lands within a fraction of a second; one still missing after this is not waited for. */
const OUTCOME_WAIT_MS = 60_000;

/** Forwarded, and its outcome (status, timings) not recorded yet: the gateway adds it right after the answer. */
export function awaitsOutcome(event: AuditEvent): boolean {
  return event.forwarded && event.upstreamStatus === null && event.code !== "upstream_unreachable" && event.code !== "client_cancelled";
}
const LIVE_PAGE_SIZE = 200;

function fetchAuditEvents(
  filters: AuditFilters,
  position: { from: string | null; cursor?: string; after?: string; limit?: number },
): Promise<AuditResponse> {
  const params = new URLSearchParams();
  if (filters.serverId) params.set("serverId", filters.serverId);
  if (filters.grantId) params.set("grantId", filters.grantId);
  if (filters.tool) params.set("tool", filters.tool);
  if (filters.method) params.set("method", filters.method);
  if (filters.decision?.length) params.set("decision", filters.decision.join(","));
  if (position.from) params.set("from", position.from);
  if (filters.to) params.set("to", filters.to);
  if (position.cursor) params.set("cursor", position.cursor);
  if (position.after) params.set("after", position.after);
  if (position.limit) params.set("limit", String(position.limit));
  return apiFetch<AuditResponse>(`/api/v1/audit-events?${params}`);
}

const startOf = (filters: AuditFilters) =>
  filters.from ?? (filters.sinceMs ? new Date(Date.now() - filters.sinceMs).toISOString() : null);

async function fetchFirstPage(filters: AuditFilters): Promise<AuditPage> {
  const from = startOf(filters);
  return { ...(await fetchAuditEvents(filters, { from })), from };
}

/** The trail, newest first; fetchNextPage loads older calls. New calls are added by useLiveAuditEvents. */
export function useAuditEvents(filters: AuditFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(filters),
    queryFn: async ({ pageParam }): Promise<AuditPage> => {
      if (!pageParam) return fetchFirstPage(filters);
      return { ...(await fetchAuditEvents(filters, pageParam)), from: pageParam.from };
    },
    initialPageParam: null as PageParam,
    getNextPageParam: (last) => (last.nextCursor ? { cursor: last.nextCursor, from: last.from } : undefined),
    enabled,
    // The live poll keeps the list current; refetching it would reload every page already shown.
    staleTime: Infinity,
    // Changing a filter keeps the old rows (dimmed) until the new ones arrive.
    placeholderData: keepPreviousData,
  });
}

/**
 * Polls every 2 s, while the tab is visible, for calls newer than those shown, and adds them to useAuditEvents'
 * list. Returns the ids it added last, to highlight them.
 *
 * Rows can commit slightly out of time order (concurrent requests, several gateway instances), so each poll asks
 * for everything after a call LIVE_OVERLAP_MS older than the newest shown, and keeps what it has not seen. A
 * forwarded call shown before its outcome was recorded is asked for again (up to OUTCOME_WAIT_MS), and updated.
 */
export function useLiveAuditEvents(filters: AuditFilters, enabled: boolean) {
  const client = useQueryClient();
  return useQuery({
    queryKey: auditKeys.live(filters),
    queryFn: async (): Promise<{ added: string[] }> => {
      const listKey = auditKeys.list(filters);
      const list = client.getQueryData<AuditList>(listKey);
      const first = list?.pages[0];
      if (!list || !first) return { added: [] };
      const shown = list.pages.flatMap((page) => page.events);
      const newest = shown[0];
      const pending = newest && shown.filter((e) => awaitsOutcome(e) && Date.parse(e.at) > Date.parse(newest.at) - OUTCOME_WAIT_MS).at(-1);
      const since = Math.min(Date.parse(newest?.at ?? "") - LIVE_OVERLAP_MS, pending ? Date.parse(pending.at) - 1 : Infinity);
      const anchor = newest && (shown.find((e) => Date.parse(e.at) <= since) ?? shown.at(-1));
      const page = await fetchAuditEvents(filters, { from: first.from, after: anchor?.cursor, limit: LIVE_PAGE_SIZE });
      let added: string[] = [];
      client.setQueryData<AuditList>(listKey, (data) => {
        // The list changed while this poll was out (a reload, a filter): the next poll starts from it.
        if (!data || data.pages[0]?.events[0]?.id !== newest?.id) return data;
        const merged = mergeLivePage(data, page);
        added = merged.added;
        return merged.list;
      });
      return { added };
    },
    enabled,
    refetchInterval: LIVE_INTERVAL_MS,
    // Polls stop while the tab is hidden, and one runs as soon as it is shown again.
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: "always",
    staleTime: 0,
    gcTime: 0,
  });
}

/** A live poll's page added to the list: the calls not shown yet go on top, or, when more arrived than one poll
 * returns (nextCursor), the list starts again from that page so it stays one unbroken run (older calls are one
 * "Load older" away). A call shown while it awaited its outcome is replaced by the poll's newer copy. */
export function mergeLivePage(list: AuditList, page: AuditResponse): { list: AuditList; added: string[] } {
  const top = list.pages[0];
  if (!top) return { list, added: [] };
  const known = new Map(list.pages.flatMap((p) => p.events.map((e) => [e.id, e] as const)));
  const fresh = page.events.filter((e) => !known.has(e.id));
  const added = fresh.map((e) => e.id);
  if (page.nextCursor) return { list: { pages: [{ ...page, from: top.from }], pageParams: [null] }, added };
  const completed = new Map(page.events.filter((e) => known.has(e.id) && awaitsOutcome(known.get(e.id)!) && !awaitsOutcome(e)).map((e) => [e.id, e]));
  if (fresh.length === 0 && completed.size === 0) return { list, added };
  const pages = list.pages.map((p) => (completed.size === 0 ? p : { ...p, events: p.events.map((e) => completed.get(e.id) ?? e) }));
  const [first, ...rest] = pages;
  return { list: { ...list, pages: [{ ...first!, events: newestFirst([...fresh, ...first!.events]) }, ...rest] }, added };
}

/** Calls in the trail's order: newest first by time, then by id (as the API orders them). */
export function newestFirst(events: AuditEvent[]): AuditEvent[] {
  return events.sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.at < b.at ? 1 : -1));
}

/** Every page's calls once each, in order: a call that committed late can arrive live and again with an older page. */
export function allEvents(list: { pages: AuditPage[] } | undefined): AuditEvent[] {
  const seen = new Set<string>();
  return newestFirst((list?.pages ?? []).flatMap((page) => page.events).filter((e) => !seen.has(e.id) && Boolean(seen.add(e.id))));
}
