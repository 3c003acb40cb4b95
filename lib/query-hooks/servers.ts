"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { serverCatalogMatchSchema } from "@/lib/api-contract/catalog-schemas";
import type {
  createServerBodySchema,
  serverSchema,
  syncResultSchema,
  toolChangeSchema,
  toolSummarySchema,
} from "@/lib/api-contract/server-schemas";
import { apiFetch } from "@/lib/query-hooks/api-fetch";
import { serverKeys, toolKeys, type ToolListQuery } from "@/lib/query-hooks/query-keys";

export type ServerView = z.output<typeof serverSchema>;
export type ToolSummary = z.output<typeof toolSummarySchema>;
export type ToolChange = z.output<typeof toolChangeSchema>;
export type SyncResult = z.output<typeof syncResultSchema>;
export type CreateServerInput = z.input<typeof createServerBodySchema>;
export type CatalogMatch = NonNullable<z.output<typeof serverCatalogMatchSchema>["match"]>;
export type { ToolListQuery } from "@/lib/query-hooks/query-keys";

const serverPath = (id: string) => `/api/v1/servers/${encodeURIComponent(id)}`;

export function useServers() {
  return useQuery({
    queryKey: serverKeys.list(),
    queryFn: () => apiFetch<{ servers: ServerView[] }>("/api/v1/servers").then((r) => r.servers),
  });
}

export function useServer(id: string) {
  return useQuery({ queryKey: serverKeys.detail(id), queryFn: () => apiFetch<ServerView>(serverPath(id)) });
}

export function useServerTools(id: string, query: ToolListQuery = {}) {
  return useQuery({
    queryKey: serverKeys.tools(id, query),
    queryFn: () => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
      const search = params.size ? `?${params}` : "";
      return apiFetch<{ tools: ToolSummary[] }>(`${serverPath(id)}/tools${search}`).then((r) => r.tools);
    },
    // Typing in the search box must not blank the table between keystrokes.
    placeholderData: keepPreviousData,
  });
}

export function useServerChanges(id: string) {
  return useQuery({
    queryKey: serverKeys.changes(id),
    queryFn: () => apiFetch<{ changes: ToolChange[] }>(`${serverPath(id)}/changes`).then((r) => r.changes),
  });
}

/** The catalog entry this server is, with how its tools differ; null when none matches. */
export function useServerCatalogMatch(id: string) {
  return useQuery({
    queryKey: serverKeys.catalogMatch(id),
    queryFn: () => apiFetch<{ match: CatalogMatch | null }>(`${serverPath(id)}/catalog-match`).then((r) => r.match),
  });
}

export function useCreateServer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateServerInput) => apiFetch<ServerView>("/api/v1/servers", { method: "POST", body: input }),
    onSuccess: (server) => {
      client.setQueryData(serverKeys.detail(server.id), server);
      return client.invalidateQueries({ queryKey: serverKeys.list() });
    },
  });
}

export function useSyncServer(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<SyncResult>(`${serverPath(id)}/sync`, { method: "POST" }),
    // A sync can add, change or remove tools: everything about this server and its tools may be stale.
    onSuccess: (result) => {
      client.setQueryData(serverKeys.detail(id), result.server);
      return Promise.all([client.invalidateQueries({ queryKey: serverKeys.all }), client.invalidateQueries({ queryKey: toolKeys.all })]);
    },
  });
}

export function useDeleteServer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<void>(serverPath(id), { method: "DELETE" }),
    onSuccess: (_, id) => {
      // Not refetched: the page showing the server is about to leave, and would only find a 404.
      void client.invalidateQueries({ queryKey: serverKeys.detail(id), refetchType: "none" });
      return Promise.all([client.invalidateQueries({ queryKey: serverKeys.list() }), client.invalidateQueries({ queryKey: toolKeys.all, refetchType: "none" })]);
    },
  });
}
