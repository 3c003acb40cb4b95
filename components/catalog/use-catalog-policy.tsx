import Link from "next/link";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { catalogServerHref, catalogToolHref, policyDraftHref, registerFromCatalogHref } from "@/components/catalog/catalog-href";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { TitledCard } from "@/components/ui/titled-card";
import type { RegisteredMatches } from "@/lib/catalog/find-registered-matches";

const link = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";
const primary = "inline-flex h-10 items-center rounded-md bg-indigo-600 px-4 text-sm font-medium text-white hover:bg-indigo-500";

/**
 * "Use this policy" when it cannot go straight to one server's editor: several servers are that catalog server, or
 * none is (register it first), or only servers that are otherwise different list a tool of that name.
 */
export function UseCatalogPolicy({ found }: { found: RegisteredMatches }) {
  const { catalogServer, tool, matches, othersListingTool } = found;
  const label = catalogServer.title ?? catalogServer.name;
  const toolCode = <code className="font-mono">{tool}</code>;
  const serverLink = (server: { id: string; name: string }) => (
    <Link href={policyDraftHref(server.id, catalogServer.name, tool)} className={`${link} break-all`}>
      {server.name}
    </Link>
  );
  return (
    <div className="space-y-6">
      <div>
        <Breadcrumbs
          items={[
            { href: "/catalog", label: "Catalog" },
            { href: catalogServerHref(catalogServer.name), label },
            { href: catalogToolHref(catalogServer.name, tool), label: tool },
            { label: "Use this policy" },
          ]}
        />
        <PageHeader
          title={`Use the catalog's policy for ${tool}`}
          description="Choose the server whose policy gets the catalog's rule. Its policy editor opens with the rule in a draft; nothing is saved until you press Save."
        />
      </div>

      {matches.length > 0 && (
        <TitledCard title={`Your servers that are ${label}`}>
          <ul className="space-y-2 text-sm" data-testid="matching-servers">
            {matches.map((server) => (
              <li key={server.id} className="flex flex-wrap items-center gap-2">
                {serverLink(server)}
                <Badge>{server.basis === "server-info" ? "same serverInfo name" : "same tools"}</Badge>
                {!server.listsTool && <span className="text-zinc-600 dark:text-zinc-400">does not list {toolCode} now</span>}
              </li>
            ))}
          </ul>
        </TitledCard>
      )}

      {matches.length === 0 && (
        <TitledCard title={`None of your servers is ${label} yet`}>
          <div className="space-y-3 text-sm">
            <p>
              Register it first. Once it is registered, its policy editor opens with the catalog&rsquo;s rule for {toolCode} in a draft.
            </p>
            <p>
              <Link href={registerFromCatalogHref(catalogServer.name, tool)} className={primary}>
                Register {label}
              </Link>
            </p>
          </div>
        </TitledCard>
      )}

      {othersListingTool.length > 0 && (
        <TitledCard title={`Other servers of yours with a tool named ${tool}`}>
          <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
            They are not {label} by their tools or the name they give themselves, but a rule is about a tool&rsquo;s name, so it applies there too. Read the
            tool&rsquo;s definition before you rely on the catalog&rsquo;s level for it.
          </p>
          <ul className="space-y-2 text-sm" data-testid="other-servers">
            {othersListingTool.map((server) => (
              <li key={server.id}>{serverLink(server)}</li>
            ))}
          </ul>
        </TitledCard>
      )}
    </div>
  );
}
