import type { Metadata } from "next";
import Link from "next/link";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { catalogServerHref, catalogToolHref, decodeSegment } from "@/components/catalog/catalog-href";
import { breadcrumbJsonLd, pageOrigin, serverJsonLd } from "@/components/catalog/catalog-json-ld";
import { HowItRuns } from "@/components/catalog/how-it-runs";
import { JsonLd } from "@/components/catalog/json-ld";
import { loadCatalogServer } from "@/components/catalog/load-catalog";
import { HowLevelsWorkLink } from "@/components/how-levels-work-link";
import { RegisterThisServer } from "@/components/catalog/register-this-server";
import { RiskBadge } from "@/components/risk-badge";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { TitledCard } from "@/components/ui/titled-card";
import { RISK_CATEGORY_LABELS } from "@/lib/risk/labels";
import { RISK_LEVELS } from "@/lib/risk/types";

type Params = Promise<{ name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const server = await loadCatalogServer(decodeSegment((await params).name));
  const label = server.title ?? server.name;
  return {
    title: `${label} MCP server: tools and their risk`,
    description: `${server.listing ? `${server.toolCount} tools` : "Tools not listed yet"}, each with its risk level and a policy to start from. ${server.description ?? ""}`.slice(0, 300),
  };
}

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" });
const str = (value: unknown) => (typeof value === "string" && value ? value : null);

export default async function CatalogServerPage({ params }: { params: Params }) {
  const [server, origin] = await Promise.all([params.then(({ name }) => loadCatalogServer(decodeSegment(name))), pageOrigin()]);
  const via = server.listing?.via ?? null;
  const link = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";
  const catalogCrumb = { href: "/catalog?type=servers", label: "Catalog" };
  return (
    <div className="space-y-6">
      <JsonLd data={serverJsonLd(server)} />
      <JsonLd data={breadcrumbJsonLd(origin, [catalogCrumb, { href: catalogServerHref(server.name), label: server.title ?? server.name }])} />
      <div>
        <Breadcrumbs items={[catalogCrumb, { label: server.title ?? server.name }]} />
        <h1 className="text-2xl font-semibold tracking-tight">{server.title ?? server.name}</h1>
        <p className="mt-1 font-mono text-sm break-all text-zinc-500 dark:text-zinc-400">{server.name}</p>
        {server.description && <p className="mt-3 max-w-3xl text-sm break-words text-zinc-700 dark:text-zinc-300">{server.description}</p>}
        <div className="mt-3 flex flex-wrap items-center gap-3 text-sm">
          {server.version && <Badge>v{server.version}</Badge>}
          {server.status !== "active" && <Badge tone="amber">{server.status}</Badge>}
          {server.repositoryUrl?.startsWith("https://") && (
            <a href={server.repositoryUrl} rel="nofollow noopener noreferrer" className={link}>
              Source repository
            </a>
          )}
          {server.websiteUrl?.startsWith("https://") && (
            <a href={server.websiteUrl} rel="nofollow noopener noreferrer" className={link}>
              Website
            </a>
          )}
        </div>
      </div>

      {server.status !== "active" && (
        <Alert title={`The registry marks this server ${server.status}`}>{server.statusMessage ?? "Prefer another server for new work."}</Alert>
      )}

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          <TitledCard
            title={`Tools${server.listing ? ` (${server.toolCount})` : ""}`}
            description={
              server.listing ? (
                <>
                  Every tool it listed, riskiest first. Open one for the reasons and a rule to start from. <HowLevelsWorkLink />
                </>
              ) : undefined
            }
            action={
              server.listing ? (
                <div className="flex flex-wrap gap-1.5" aria-label="Tools per risk level">
                  {[...RISK_LEVELS].reverse().map((level) => (
                    <RiskBadge key={level} level={level} count={server.toolCountsByLevel[level]} />
                  ))}
                </div>
              ) : undefined
            }
          >
            {!server.listing ? (
              <EmptyState title="Tools not listed yet">
                <p>This server was imported from a registry, which holds no tool lists. Its tools appear once the crawler has listed them.</p>
              </EmptyState>
            ) : server.tools.length === 0 ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">It listed no tools.</p>
            ) : (
              <div className="relative -mx-5 -my-5 overflow-x-auto">
                <table className="w-full text-left text-sm" aria-label="Tools">
                  <thead className="border-b border-zinc-200 text-xs tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
                    <tr>
                      <th scope="col" className="py-2 pr-4 pl-5 font-medium">Tool</th>
                      <th scope="col" className="w-px py-2 pr-4 font-medium">Risk</th>
                      <th scope="col" className="w-px py-2 pr-5 font-medium">Category</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                    {server.tools.map((tool) => (
                      <tr key={tool.name} className="align-top">
                        <td className="py-2.5 pr-4 pl-5">
                          <Link href={catalogToolHref(server.name, tool.name)} className="font-mono font-medium break-all hover:underline">
                            {tool.name}
                          </Link>
                          {tool.description && <p className="mt-0.5 line-clamp-1 text-xs break-all text-zinc-500 dark:text-zinc-400" title={tool.description}>{tool.description}</p>}
                        </td>
                        <td className="py-2.5 pr-4">
                          <RiskBadge level={tool.level} />
                        </td>
                        <td className="py-2.5 pr-5 whitespace-nowrap">{RISK_CATEGORY_LABELS[tool.category]}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </TitledCard>
        </div>

        <aside className="space-y-6">
          <TitledCard title="How it runs">
            <HowItRuns packages={server.packages} remotes={server.remotes} />
          </TitledCard>
          {server.listing && (
            <TitledCard title="How its tools were listed">
              <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1.5 text-sm" data-testid="listing">
                {server.listing.listedAt && (
                  <>
                    <dt className="text-zinc-500 dark:text-zinc-400">Listed</dt>
                    <dd>{dateFormat.format(new Date(server.listing.listedAt))}</dd>
                  </>
                )}
                {(
                  [
                    ["Package", str(via?.package)],
                    ["URL", str(via?.url)],
                    ["Transport", str(via?.transport)],
                    ["Node", str(via?.node)],
                    ["MCP SDK", str(via?.sdk)],
                    ["Isolation", str(via?.isolation)],
                    ["Protocol", str(via?.protocolVersion)],
                  ] as const
                )
                  .filter(([, value]) => value)
                  .map(([label, value]) => (
                    <div key={label} className="contents">
                      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
                      <dd className="font-mono text-xs break-all">{value}</dd>
                    </div>
                  ))}
              </dl>
              <p className="mt-3 text-xs text-zinc-500 dark:text-zinc-400">
                Listed by Portcullis&rsquo;s crawler with the official MCP SDK client, running initialize and tools/list. A later version may list other tools.
              </p>
            </TitledCard>
          )}
          <TitledCard title="Register this server">
            <RegisterThisServer name={server.name} packages={server.packages} remotes={server.remotes} />
          </TitledCard>
        </aside>
      </div>
    </div>
  );
}
