import type { RuleProposal } from "@/components/policy/catalog-proposal";
import { catalogToolHref } from "@/components/catalog/catalog-href";
import { getCatalogToolRule } from "@/lib/catalog/get-catalog-tool-rule";
import { getPool } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";

// The catalog rule a console page was asked to start a policy draft with (?catalogServer=...&catalogTool=...).
// Read on the server: the rule is the catalog's own, never one carried in the URL.

type SearchParams = Record<string, string | string[] | undefined>;

export async function loadCatalogProposal(query: SearchParams): Promise<{ proposal: RuleProposal | null; problem: string | null }> {
  const server = query.catalogServer;
  const tool = query.catalogTool;
  if (typeof server !== "string" || typeof tool !== "string" || !server || !tool) return { proposal: null, problem: null };
  try {
    const found = await getCatalogToolRule(getPool(), server, tool);
    return {
      proposal: {
        tool: found.tool,
        rule: found.rule,
        source: { serverName: found.server.name, serverTitle: found.server.title, href: catalogToolHref(found.server.name, found.tool) },
      },
      problem: null,
    };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { proposal: null, problem: error.message };
    throw error;
  }
}
