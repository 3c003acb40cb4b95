"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/query-hooks/api-fetch";
import { tokenKeys } from "@/lib/query-hooks/query-keys";
import type { TokenView } from "@/lib/tokens/token-view";

export function useTokens() {
  return useQuery({
    queryKey: tokenKeys.list(),
    queryFn: () => apiFetch<{ tokens: TokenView[] }>("/api/v1/tokens").then((r) => r.tokens),
  });
}

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; expiresInDays: number | null }) =>
      apiFetch<TokenView & { token: string }>("/api/v1/tokens", { method: "POST", body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<TokenView>(`/api/v1/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}
