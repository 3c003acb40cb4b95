"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { createdGrantSchema, createGrantBodySchema, grantSchema } from "@/lib/api-contract/grant-schemas";
import { apiFetch } from "@/lib/query-hooks/api-fetch";
import { grantKeys } from "@/lib/query-hooks/query-keys";

export type GrantView = z.output<typeof grantSchema>;
export type CreatedGrant = z.output<typeof createdGrantSchema>;
export type CreateGrantInput = z.input<typeof createGrantBodySchema>;

export function useGrants() {
  return useQuery({
    queryKey: grantKeys.list(),
    queryFn: () => apiFetch<{ grants: GrantView[] }>("/api/v1/grants").then((r) => r.grants),
  });
}

export function useCreateGrant() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateGrantInput) => apiFetch<CreatedGrant>("/api/v1/grants", { method: "POST", body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: grantKeys.all }),
  });
}

export function useRevokeGrant() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<GrantView>(`/api/v1/grants/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: grantKeys.all }),
  });
}
