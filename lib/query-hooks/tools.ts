"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { overrideToolBodySchema, toolDetailSchema } from "@/lib/api-contract/server-schemas";
import { apiFetch } from "@/lib/query-hooks/api-fetch";
import { serverKeys, toolKeys } from "@/lib/query-hooks/query-keys";

export type ToolDetail = z.output<typeof toolDetailSchema>;
export type ToolOverrideInput = z.input<typeof overrideToolBodySchema>["override"];

const toolPath = (id: string) => `/api/v1/tools/${encodeURIComponent(id)}`;

export function useTool(id: string) {
  return useQuery({ queryKey: toolKeys.detail(id), queryFn: () => apiFetch<ToolDetail>(toolPath(id)) });
}

/** After a tool changes, its server's counts, tools table and changes are stale too. */
function useToolChanged() {
  const client = useQueryClient();
  return (tool: ToolDetail) => {
    client.setQueryData(toolKeys.detail(tool.id), tool);
    return Promise.all([client.invalidateQueries({ queryKey: toolKeys.all }), client.invalidateQueries({ queryKey: serverKeys.all })]);
  };
}

export function useOverrideTool(id: string) {
  const changed = useToolChanged();
  return useMutation({
    mutationFn: (override: ToolOverrideInput) => apiFetch<ToolDetail>(toolPath(id), { method: "PATCH", body: { override } }),
    onSuccess: changed,
  });
}

export function useAcceptToolChange() {
  const changed = useToolChanged();
  return useMutation({
    mutationFn: (id: string) => apiFetch<ToolDetail>(`${toolPath(id)}/accept`, { method: "POST" }),
    onSuccess: changed,
  });
}
