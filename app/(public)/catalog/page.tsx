import type { Metadata } from "next";
import Link from "next/link";
import { catalogServerHref, catalogToolHref } from "@/components/catalog/catalog-href";
import { CatalogSearchForm } from "@/components/catalog/catalog-search-form";
import { FacetList } from "@/components/catalog/facet-list";
import { PageHeader } from "@/components/page-header";
import { HowLevelsWorkLink } from "@/components/how-levels-work-link";
import { RiskBadge } from "@/components/risk-badge";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { CATALOG_MAX_PAGE, catalogSearchQuerySchema } from "@/lib/api-contract/catalog-schemas";
import { BROAD_SEARCH_MATCHES } from "@/lib/catalog/limits";
import { boundedCatalogRead } from "@/lib/catalog/catalog-busy";
import { searchCatalog, type CatalogServerHit, type CatalogToolHit } from "@/lib/catalog/search-catalog";
import { getCatalogPool } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";
import { RISK_CATEGORIES, RISK_LEVELS } from "@/lib/risk/types";
import { RISK_CATEGORY_LABELS, RISK_LEVEL_LABELS } from "@/lib/risk/labels";

export const metadata: Metadata = {
  title: "Catalog of MCP servers and tools",
  description: "Public MCP servers and every tool they expose, each with its risk level, the reasons for it and a policy to start from.",
};

type SearchParams = Record<string, string | string[] | undefined>;
const KEYS = ["q", "type", "level", "category", "transport", "registryType", "sort", "page", "cursor"] as const;
const SORT_LABELS: Record<string, string> = { relevance: "Relevance", name: "Name", risk: "Riskiest first", server: "Server", tools: "Most tools" };
const TRANSPORT_LABELS: Record<string, string> = { stdio: "stdio (local process)", "streamable-http": "Streamable HTTP", sse: "HTTP+SSE" };

/** The URL's own values (first of each), only the keys the search knows: the state a link or a reload keeps. */
function readParams(raw: SearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of KEYS) {
    const value = Array.isArray(raw[key]) ? raw[key][0] : raw[key];
    if (value !== undefined && value !== "") out[key] = value;
  }
  return out;
}

function hrefWith(state: Record<string, string>, changes: Record<string, string | null>): string {
  const next = { ...state, ...changes };
  const params = new URLSearchParams();
  for (const key of KEYS) if (next[key]) params.set(key, next[key]!);
  const query = params.toString();
  return query ? `/catalog?${query}` : "/catalog";
}

export default async function CatalogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const state = readParams(await searchParams);
  const parsed = catalogSearchQuerySchema.safeParse(state);
  if (!parsed.success) {
    return (
      <>
        <PageHeader title="Catalog" />
        <Alert tone="error" title="This search cannot be run">
          <ul className="list-disc pl-5">
            {parsed.error.issues.map((issue, i) => (
              <li key={i}>{issue.message}</li>
            ))}
          </ul>
          <Link href="/catalog" className="mt-2 inline-block font-medium underline">
            Start a new search
          </Link>
        </Alert>
      </>
    );
  }
  const query = parsed.data;
  let result;
  try {
    result = await boundedCatalogRead("This search", () => searchCatalog(getCatalogPool(), query));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // 503: the catalog's bounds (busy, or the search ran past its time limit); trying again is what to do. Otherwise
    // the search itself cannot be run (a cursor from another search).
    const refused = error.status === 503;
    return (
      <>
        <PageHeader title="Catalog" />
        <Alert tone="error" title={refused ? "This search could not be answered just now" : "This search cannot be run"}>
          <p>{error.message}</p>
          <Link href={refused ? hrefWith(state, {}) : hrefWith(state, { cursor: null, page: null })} className="mt-2 inline-block font-medium underline">
            {refused ? "Try again" : "Go back to the first page"}
          </Link>
        </Alert>
      </>
    );
  }

  const tools = query.type === "tools";
  const broad = result.countsAreLowerBounds;
  const filtered = Boolean(query.level || query.category || query.transport || query.registryType);
  const selected = (key: "level" | "category" | "transport" | "registryType") => (state[key] ? state[key]!.split(",") : []);
  const facetLinks = (key: "level" | "category" | "transport" | "registryType", values: readonly string[], label: (v: string) => string) =>
    values.map((value) => {
      const current = selected(key);
      const on = current.includes(value);
      const next = on ? current.filter((v) => v !== value) : [...current, value];
      return { value, label: label(value), count: result.facets[key][value] ?? 0, selected: on, href: hrefWith(state, { [key]: next.join(",") || null, page: null, cursor: null }) };
    });
  const present = (facet: Record<string, number>, chosen: string[]) => [...new Set([...Object.keys(facet), ...chosen])].sort();
  const firstShown = result.page ? (result.page - 1) * result.limit + 1 : null;
  const nextHref = result.page && result.page < CATALOG_MAX_PAGE && result.nextCursor ? hrefWith(state, { page: String(result.page + 1), cursor: null }) : result.nextCursor ? hrefWith(state, { page: null, cursor: result.nextCursor }) : null;
  const prevHref = result.page && result.page > 1 ? hrefWith(state, { page: result.page === 2 ? null : String(result.page - 1), cursor: null }) : result.page === null ? hrefWith(state, { cursor: null, page: null }) : null;

  return (
    <>
      <PageHeader
        title="Catalog"
        description={
          <>
            Public MCP servers and every tool they expose, each with its risk level, the reasons for it and a policy to start from. No account needed.{" "}
            <HowLevelsWorkLink />
          </>
        }
      />
      <CatalogSearchForm q={query.q ?? ""} hidden={Object.fromEntries(Object.entries(state).filter(([k]) => ["type", "level", "category", "transport", "registryType"].includes(k)))} type={query.type} />

      <nav aria-label="What to list" className="mt-4 flex gap-1 border-b border-zinc-200 dark:border-zinc-800">
        {(["tools", "servers"] as const).map((type) => (
          <Link
            key={type}
            href={hrefWith(state, { type: type === "tools" ? null : type, sort: null, page: null, cursor: null })}
            aria-current={query.type === type ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${query.type === type ? "border-indigo-600 text-zinc-900 dark:text-zinc-100" : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"}`}
          >
            {type === "tools" ? "Tools" : "Servers"}
          </Link>
        ))}
      </nav>

      <div className="mt-6 grid gap-8 lg:grid-cols-[14rem_minmax(0,1fr)]">
        <aside aria-label="Filters" className="space-y-6">
          <FacetList title={tools ? "Risk level" : "Riskiest tool"} items={facetLinks("level", RISK_LEVELS, (v) => RISK_LEVEL_LABELS[v as keyof typeof RISK_LEVEL_LABELS])} atLeast={broad} />
          <FacetList title="Category" items={facetLinks("category", RISK_CATEGORIES, (v) => RISK_CATEGORY_LABELS[v as keyof typeof RISK_CATEGORY_LABELS])} atLeast={broad} />
          <FacetList title="Transport" items={facetLinks("transport", present(result.facets.transport, selected("transport")), (v) => TRANSPORT_LABELS[v] ?? v)} atLeast={broad} />
          <FacetList title="Package registry" items={facetLinks("registryType", present(result.facets.registryType, selected("registryType")), (v) => v)} atLeast={broad} />
          {filtered && (
            <Link href={hrefWith(state, { level: null, category: null, transport: null, registryType: null, page: null, cursor: null })} className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
              Clear filters
            </Link>
          )}
        </aside>

        <section aria-label="Results" className="min-w-0">
          {result.corrections.length > 0 && (
            <p className="mb-3 text-sm text-zinc-700 dark:text-zinc-300" data-testid="corrections">
              Showing results for{" "}
              {result.corrections.map((c, i) => (
                <span key={c.term}>
                  {i > 0 && ", "}
                  <strong>{c.alternatives.join(" or ")}</strong> (you typed <em>{c.term}</em>)
                </span>
              ))}
            </p>
          )}
          {broad && (
            <div className="mb-3" data-testid="broad-search">
              <Alert tone="info" title="Too many matches to count and rank">
                <p>
                  “{result.q}” matches more than {BROAD_SEARCH_MATCHES.toLocaleString("en")} {tools ? "tools" : "servers"}, more than one search reads. Counts are
                  of the first {BROAD_SEARCH_MATCHES.toLocaleString("en")} found, so each is a lower bound, and results are listed
                  {result.sort === "relevance" ? " by name instead of by relevance" : " in the order chosen"}. Add a more specific word for exact counts and relevance.
                </p>
              </Alert>
            </div>
          )}
          <div className="mb-3 flex flex-wrap items-center justify-between gap-3 text-sm">
            <p className="text-zinc-600 dark:text-zinc-400" data-testid="result-count" aria-live="polite">
              {broad ? "At least " : ""}
              {result.total.toLocaleString("en")} {tools ? (result.total === 1 ? "tool" : "tools") : result.total === 1 ? "server" : "servers"}
              {firstShown && result.total > 0 ? ` · ${firstShown}–${firstShown + result.results.length - 1} shown` : ""}
            </p>
            <nav aria-label="Sort" className="flex flex-wrap items-center gap-2">
              <span className="text-zinc-500 dark:text-zinc-400">Sort:</span>
              {(tools ? ["relevance", "risk", "name", "server"] : ["relevance", "name", "risk", "tools"])
                .filter((s) => s !== "relevance" || result.q)
                .map((s) => (
                  <Link
                    key={s}
                    href={hrefWith(state, { sort: s, page: null, cursor: null })}
                    aria-current={result.sort === s ? "true" : undefined}
                    className={result.sort === s ? "font-medium text-zinc-900 dark:text-zinc-100" : "text-indigo-600 hover:underline dark:text-indigo-400"}
                  >
                    {SORT_LABELS[s]}
                  </Link>
                ))}
            </nav>
          </div>

          {result.results.length === 0 ? (
            result.q || filtered ? (
              <EmptyState title={`No ${tools ? "tools" : "servers"} match`}>
                <p>Try fewer or other words, or remove a filter{tools ? "; or list servers instead of tools" : ""}.</p>
                <p>
                  <Link href="/catalog" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                    Show the whole catalog
                  </Link>
                </p>
              </EmptyState>
            ) : result.page && result.page > 1 ? (
              <EmptyState title="There is nothing on this page">
                <Link href={hrefWith(state, { page: null })} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                  Go to the first page
                </Link>
              </EmptyState>
            ) : (
              <EmptyState title="The catalog is empty">
                <p>Its servers load from catalog/servers a second or so after the app starts. Reload this page in a moment.</p>
              </EmptyState>
            )
          ) : (
            <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900" data-testid="results">
              {tools
                ? (result.results as CatalogToolHit[]).map((hit) => <ToolRow key={`${hit.server.name}/${hit.name}`} hit={hit} />)
                : (result.results as CatalogServerHit[]).map((hit) => <ServerRow key={hit.name} hit={hit} />)}
            </ul>
          )}

          {(prevHref || nextHref) && (
            <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm">
              {prevHref ? (
                <Link href={prevHref} rel="prev" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                  ← {result.page ? "Previous page" : "First page"}
                </Link>
              ) : (
                <span />
              )}
              {result.page && (
                <span className="text-zinc-500 dark:text-zinc-400">
                  Page {result.page}
                  {broad ? "" : ` of ${Math.max(1, Math.ceil(result.total / result.limit)).toLocaleString("en")}`}
                </span>
              )}
              {nextHref ? (
                <Link href={nextHref} rel="next" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                  Next page →
                </Link>
              ) : (
                <span />
              )}
            </nav>
          )}
        </section>
      </div>
    </>
  );
}

function ToolRow({ hit }: { hit: CatalogToolHit }) {
  return (
    <li className="px-4 py-3" data-testid="tool-result">
      <div className="flex flex-wrap items-center gap-2">
        <Link href={catalogToolHref(hit.server.name, hit.name)} className="font-mono text-sm font-semibold break-all text-zinc-900 hover:underline dark:text-zinc-100">
          {hit.name}
        </Link>
        <RiskBadge level={hit.level} />
        <Badge>{RISK_CATEGORY_LABELS[hit.category]}</Badge>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">
          on{" "}
          <Link href={catalogServerHref(hit.server.name)} className="hover:underline">
            {hit.server.title ?? hit.server.name}
          </Link>
        </span>
      </div>
      {hit.description && <p className="mt-1 line-clamp-1 text-sm break-all text-zinc-600 dark:text-zinc-400">{hit.description}</p>}
    </li>
  );
}

function ServerRow({ hit }: { hit: CatalogServerHit }) {
  return (
    <li className="px-4 py-3" data-testid="server-result">
      <div className="flex flex-wrap items-center gap-2">
        <Link href={catalogServerHref(hit.name)} className="text-sm font-semibold text-zinc-900 hover:underline dark:text-zinc-100">
          {hit.title ?? hit.name}
        </Link>
        <span className="font-mono text-xs break-all text-zinc-500 dark:text-zinc-400">{hit.name}</span>
        {hit.status !== "active" && <Badge tone="amber">{hit.status}</Badge>}
      </div>
      {hit.description && <p className="mt-1 line-clamp-2 text-sm text-zinc-600 dark:text-zinc-400">{hit.description}</p>}
      <div className="mt-2 flex flex-wrap items-center gap-1.5 text-xs text-zinc-500 dark:text-zinc-400">
        {hit.listed ? (
          <>
            <span>
              {hit.toolCount} {hit.toolCount === 1 ? "tool" : "tools"}
            </span>
            {[...RISK_LEVELS].reverse().map((level) => (hit.toolCountsByLevel[level] ? <RiskBadge key={level} level={level} count={hit.toolCountsByLevel[level]} /> : null))}
          </>
        ) : (
          <span>Tools not listed yet</span>
        )}
        {hit.registryTypes.map((r) => (
          <Badge key={r}>{r}</Badge>
        ))}
      </div>
    </li>
  );
}
