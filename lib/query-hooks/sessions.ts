"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/query-hooks/api-fetch";

export function useSignOutEverywhere() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<{ endedSessions: number }>("/api/v1/sessions", { method: "DELETE" }),
    // This session has ended too: nothing cached for the account may be shown any more.
    onSuccess: () => client.clear(),
  });
}
