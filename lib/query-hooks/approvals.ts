"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  approvalSchema,
  approvalWebhookSchema,
  approvalWebhookTestSchema,
  decideApprovalBodySchema,
  listApprovalsResponseSchema,
} from "@/lib/api-contract/approval-schemas";
import { apiFetch } from "@/lib/query-hooks/api-fetch";
import { approvalKeys } from "@/lib/query-hooks/query-keys";

export type ApprovalView = z.output<typeof approvalSchema>;
export type ApprovalStatus = ApprovalView["status"];
export type ApprovalList = z.output<typeof listApprovalsResponseSchema>;
export type ApprovalWebhook = z.output<typeof approvalWebhookSchema>;
export type ApprovalWebhookTest = z.output<typeof approvalWebhookTestSchema>;
export type DecisionInput = z.input<typeof decideApprovalBodySchema>;

/** How often the pending list is polled: every second while someone may be looking, slowly in a background tab. */
export const PENDING_POLL_MS = 1_000;
const BACKGROUND_POLL_MS = 15_000;
const DECIDED_POLL_MS = 5_000;

const visible = () => typeof document === "undefined" || document.visibilityState === "visible";

function fetchApprovals(state: "pending" | "decided", limit?: number): Promise<ApprovalList> {
  const params = new URLSearchParams({ state });
  if (limit) params.set("limit", String(limit));
  return apiFetch<ApprovalList>(`/api/v1/approvals?${params}`);
}

/**
 * Calls waiting for a decision, the one waiting longest first, with `pendingCount`. The Approvals page polls every
 * second; the navigation's badge shares this query at a slower pace (`intervalMs`), so both always agree.
 */
export function usePendingApprovals(intervalMs = PENDING_POLL_MS) {
  return useQuery({
    queryKey: approvalKeys.list("pending"),
    queryFn: () => fetchApprovals("pending"),
    // A held call waits at most a minute for its agent: a hidden tab keeps the count roughly current, and catches
    // up at once when it is shown again.
    refetchInterval: () => (visible() ? intervalMs : Math.max(intervalMs, BACKGROUND_POLL_MS)),
    refetchIntervalInBackground: true,
    refetchOnWindowFocus: "always",
    staleTime: 0,
  });
}

/** Approvals no longer waiting (decided, used, expired or withdrawn), newest first. Polled while the tab is visible,
 * so an approved call shows as made once its agent makes it. */
export function useDecidedApprovals(limit = 25) {
  return useQuery({
    queryKey: approvalKeys.list("decided"),
    queryFn: () => fetchApprovals("decided", limit).then((r) => r.approvals),
    refetchInterval: DECIDED_POLL_MS,
    refetchIntervalInBackground: false,
    staleTime: 0,
  });
}

/**
 * Approves or rejects a held call. `on` runs even when the caller has unmounted by then (its card left the list as
 * the decision landed), unlike the callbacks given to `mutate`.
 */
export function useDecideApproval(on: { decided?: (approval: ApprovalView) => void; failed?: (error: Error) => void } = {}) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: DecisionInput & { id: string }) =>
      apiFetch<ApprovalView>(`/api/v1/approvals/${encodeURIComponent(id)}/decision`, { method: "POST", body }),
    onSuccess: (decided) => {
      // The card leaves at once, before the lists are fetched again.
      client.setQueryData<ApprovalList>(approvalKeys.list("pending"), (list) =>
        list && list.approvals.some((a) => a.id === decided.id)
          ? { approvals: list.approvals.filter((a) => a.id !== decided.id), pendingCount: Math.max(0, list.pendingCount - 1) }
          : list,
      );
      on.decided?.(decided);
    },
    onError: (error) => on.failed?.(error),
    onSettled: () => client.invalidateQueries({ queryKey: approvalKeys.lists() }),
  });
}

export function useApprovalWebhook() {
  return useQuery({
    queryKey: approvalKeys.webhook(),
    queryFn: () => apiFetch<ApprovalWebhook>("/api/v1/settings/approval-webhook"),
  });
}

/** Sets the webhook (a URL) or removes it (null). */
export function useSetApprovalWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (url: string | null) => apiFetch<ApprovalWebhook>("/api/v1/settings/approval-webhook", { method: "PUT", body: { url } }),
    onSuccess: (webhook) => client.setQueryData(approvalKeys.webhook(), webhook),
  });
}

/** Sends the webhook one test message now and reports whether it was delivered. */
export function useTestApprovalWebhook() {
  return useMutation({
    mutationFn: () => apiFetch<ApprovalWebhookTest>("/api/v1/settings/approval-webhook/test", { method: "POST" }),
  });
}
