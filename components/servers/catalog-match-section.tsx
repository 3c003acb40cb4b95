"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { catalogServerHref, catalogToolHref } from "@/components/catalog/catalog-href";
import { LoadError } from "@/components/load-error";
import { RiskBadge } from "@/components/risk-badge";
import { Badge } from "@/components/ui/badge";
import { TitledCard } from "@/components/ui/titled-card";
import { useServerCatalogMatch } from "@/lib/query-hooks/servers";

const link = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";
const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" });

/**
 * The catalog entry this registered server is, and how its live tools differ from the catalog's listing. Nothing
 * is shown for a server the catalog does not have.
 */
export function CatalogMatchSection({ serverId }: { serverId: string }) {
  const match = useServerCatalogMatch(serverId);
  if (match.isError) return <LoadError title="The catalog could not be compared" error={match.error} onRetry={() => void match.refetch()} />;
  if (!match.data) return null;
  const { catalogServer, basis, serverInfoName, tools } = match.data;
  const label = catalogServer.title ?? catalogServer.name;
  const differences = tools.changed.length + tools.onlyLive.length + tools.onlyInCatalog.length;
  const liveToolCount = tools.same + tools.changed.length + tools.onlyLive.length;
  return (
    <section aria-label="In the catalog" data-testid="catalog-match">
      <TitledCard
        title="In the catalog"
        description={
          <>
            This server is{" "}
            <Link href={catalogServerHref(catalogServer.name)} className={link}>
              {label}
            </Link>{" "}
            <span className="font-mono text-xs break-all">({catalogServer.name}{catalogServer.version ? `, v${catalogServer.version}` : ""})</span>, matched{" "}
            {basis === "server-info" ? (
              <>
                by the name it gives itself, <code className="font-mono text-xs">{serverInfoName}</code>
              </>
            ) : (
              "because most of its tools have the same names"
            )}
            .
          </>
        }
      >
        <p className="text-sm" data-testid="catalog-diff-summary">
          {differences === 0
            ? `All ${tools.same} of its tools are listed exactly as the catalog lists them`
            : `${tools.same} of its ${liveToolCount} tools are listed exactly as the catalog lists them; ${differences} ${differences === 1 ? "differs" : "differ"}`}
          {catalogServer.listedAt ? ` (catalog listing of ${dateFormat.format(new Date(catalogServer.listedAt))}).` : "."}
        </p>
        {tools.changed.length > 0 && (
          <DiffList
            title="Changed definition"
            testId="catalog-diff-changed"
            count={tools.changed.length}
            intro={
              <p className="text-amber-900 dark:text-amber-200">
                A changed definition is a reason to look: its description, arguments or annotations are not what the catalog listed, and models read
                descriptions as instructions. Compare the tool&rsquo;s page here with the catalog&rsquo;s.
              </p>
            }
          >
            {tools.changed.map((tool) => (
              <li key={tool.name} className="flex flex-wrap items-center gap-2">
                <Link href={`/tools/${tool.id}`} className="font-mono font-medium hover:underline">
                  {tool.name}
                </Link>
                <Link href={catalogToolHref(catalogServer.name, tool.name)} className={`text-xs ${link}`}>
                  the catalog&rsquo;s definition
                </Link>
              </li>
            ))}
          </DiffList>
        )}
        {tools.onlyLive.length > 0 && (
          <DiffList
            title="Only on this server"
            testId="catalog-diff-only-live"
            count={tools.onlyLive.length}
            intro={<p>The catalog&rsquo;s listing does not have them: a newer version, or tools added on the way.</p>}
          >
            {tools.onlyLive.map((tool) => (
              <li key={tool.name}>
                <Link href={`/tools/${tool.id}`} className="font-mono font-medium hover:underline">
                  {tool.name}
                </Link>
              </li>
            ))}
          </DiffList>
        )}
        {tools.onlyInCatalog.length > 0 && (
          <DiffList
            title="Only in the catalog"
            testId="catalog-diff-only-catalog"
            count={tools.onlyInCatalog.length}
            intro={<p>This server does not list them now: another version, or tools a server offers only to some clients.</p>}
          >
            {tools.onlyInCatalog.map((tool) => (
              <li key={tool.name} className="flex flex-wrap items-center gap-2">
                <Link href={catalogToolHref(catalogServer.name, tool.name)} className="font-mono font-medium hover:underline">
                  {tool.name}
                </Link>
                <RiskBadge level={tool.level} />
              </li>
            ))}
          </DiffList>
        )}
      </TitledCard>
    </section>
  );
}

function DiffList({ title, testId, count, intro, children }: { title: string; testId: string; count: number; intro: ReactNode; children: ReactNode }) {
  return (
    <div className="mt-4" data-testid={testId}>
      <h3 className="mb-1 flex items-center gap-2 text-sm font-semibold">
        {title} <Badge>{count}</Badge>
      </h3>
      <div className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">{intro}</div>
      <ul className="space-y-1 text-sm">{children}</ul>
    </div>
  );
}
