import type { Metadata } from "next";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { RegisterFromCatalog } from "@/components/catalog/register-from-catalog";
import { PageHeader } from "@/components/page-header";
import { RegisterServerForm } from "@/components/servers/register-server-form";
import { Alert } from "@/components/ui/alert";
import { catalogServerView, findCatalogServer } from "@/lib/catalog/get-catalog-server";
import { getPool } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";

export const metadata: Metadata = { title: "Register a server" };

type SearchParams = Record<string, string | string[] | undefined>;

/** The catalog entry the form was opened from (?catalogServer=&catalogTool=), or why it could not be used. */
async function fromCatalog(query: SearchParams) {
  const name = typeof query.catalogServer === "string" ? query.catalogServer : "";
  if (!name) return null;
  try {
    const server = catalogServerView(await findCatalogServer(getPool(), name));
    const remoteUrl = server.remotes.map((r) => r.url).find((url): url is string => typeof url === "string" && url.trim() !== "") ?? null;
    const tool = typeof query.catalogTool === "string" && query.catalogTool ? query.catalogTool : null;
    return { ok: true as const, server, tool, remoteUrl };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { ok: false as const, message: error.message };
    throw error;
  }
}

export default async function NewServerPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const catalog = await fromCatalog(await searchParams);
  return (
    <>
      <Breadcrumbs items={[{ href: "/servers", label: "Servers" }, { label: "Register a server" }]} />
      <PageHeader
        title="Register a server"
        description="Portcullis connects to the server, lists every tool it offers and classifies each one's risk. Nothing is saved unless that works."
      />
      {catalog?.ok === false && (
        <div className="mb-6 max-w-3xl">
          <Alert title="Not filled in from the catalog">{catalog.message}</Alert>
        </div>
      )}
      {catalog?.ok && <RegisterFromCatalog server={catalog.server} tool={catalog.tool} remoteUrl={catalog.remoteUrl} />}
      <RegisterServerForm
        initial={catalog?.ok ? { name: catalog.server.name.split("/").at(-1) ?? "", url: catalog.remoteUrl ?? "" } : undefined}
        catalog={catalog?.ok ? { server: catalog.server.name, tool: catalog.tool } : undefined}
      />
    </>
  );
}
