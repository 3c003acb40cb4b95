"use client";

import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type {
  policyStateSchema,
  policyVersionSchema,
  policyVersionSummarySchema,
  saveResultSchema,
  simulateBodySchema,
  simulateResultSchema,
} from "@/lib/api-contract/policy-schemas";
import { apiFetch } from "@/lib/query-hooks/api-fetch";
import { policyKeys } from "@/lib/query-hooks/query-keys";

export type PolicyState = z.output<typeof policyStateSchema>;
export type PolicyVersionView = z.output<typeof policyVersionSchema>;
export type PolicyVersionSummary = z.output<typeof policyVersionSummarySchema>;
export type PolicyIssueView = PolicyState["warnings"][number];
export type SaveResult = z.output<typeof saveResultSchema>;
export type SimulateInput = z.input<typeof simulateBodySchema>;
export type SimulateResult = z.output<typeof simulateResultSchema>;
export interface SavePolicyInput {
  text: string;
  message: string;
  basedOn: number;
}

const policyPath = (serverId: string) => `/api/v1/servers/${encodeURIComponent(serverId)}/policy`;

function fetchPolicyState(serverId: string) {
  return apiFetch<PolicyState>(policyPath(serverId));
}

/** The active version (null before the first save) and its warnings. */
export function usePolicy(serverId: string) {
  return useQuery({ queryKey: policyKeys.state(serverId), queryFn: () => fetchPolicyState(serverId) });
}

/** The policy state of several servers at once, for the overview of every server's policy. */
export function usePolicies(serverIds: readonly string[]) {
  return useQueries({
    queries: serverIds.map((id) => ({ queryKey: policyKeys.state(id), queryFn: () => fetchPolicyState(id) })),
  });
}

export function usePolicyVersions(serverId: string) {
  return useQuery({
    queryKey: policyKeys.versions(serverId),
    queryFn: () => apiFetch<{ versions: PolicyVersionSummary[] }>(`${policyPath(serverId)}/versions`).then((r) => r.versions),
  });
}

/** One saved version with its text; versions never change, so it is fetched once. */
export function usePolicyVersion(serverId: string, version: number | null) {
  return useQuery({
    queryKey: policyKeys.version(serverId, version ?? 0),
    queryFn: () => apiFetch<PolicyVersionView>(`${policyPath(serverId)}/versions/${version}`),
    enabled: version !== null,
    staleTime: Infinity,
  });
}

export function useSavePolicyVersion(serverId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SavePolicyInput) => apiFetch<SaveResult>(`${policyPath(serverId)}/versions`, { method: "POST", body: input }),
    onSuccess: (result) => {
      // The answer holds everything the save changed: the new version, the active state and the list's new head are
      // set from it, not fetched again.
      const { saved } = result;
      client.setQueryData(policyKeys.version(serverId, saved.version), saved);
      client.setQueryData<PolicyState>(policyKeys.state(serverId), { active: saved, warnings: result.warnings });
      const summary: PolicyVersionSummary = { version: saved.version, message: saved.message, createdBy: saved.createdBy, createdAt: saved.createdAt };
      const list = client.getQueryData<PolicyVersionSummary[]>(policyKeys.versions(serverId));
      // Versions are numbered one after another, so a list whose head is the version before is complete.
      if (list && (list[0]?.version ?? 0) === saved.version - 1) client.setQueryData(policyKeys.versions(serverId), [summary, ...list]);
      else return client.invalidateQueries({ queryKey: policyKeys.versions(serverId), exact: true });
    },
  });
}

export function useSimulatePolicy(serverId: string) {
  return useMutation({
    mutationFn: (input: SimulateInput) => apiFetch<SimulateResult>(`${policyPath(serverId)}/simulate`, { method: "POST", body: input }),
  });
}

/** Rolling back saves an old version's text as a new version: history is never rewritten. */
export function useRollBackPolicy(serverId: string) {
  const save = useSavePolicyVersion(serverId);
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ version, basedOn }: { version: number; basedOn: number }) => {
      const old = await client.fetchQuery({
        queryKey: policyKeys.version(serverId, version),
        queryFn: () => apiFetch<PolicyVersionView>(`${policyPath(serverId)}/versions/${version}`),
        staleTime: Infinity,
      });
      return save.mutateAsync({ text: old.text, message: `Roll back to version ${version}`, basedOn });
    },
  });
}
