import { notFound } from "next/navigation";
import { cache } from "react";
import { boundedCatalogRead } from "@/lib/catalog/catalog-busy";
import { getCatalogServer } from "@/lib/catalog/get-catalog-server";
import { getCatalogTool } from "@/lib/catalog/get-catalog-tool";
import { getCatalogPool } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";

// The catalog pages read the same functions as the public API. cache() lets a page and its generateMetadata share
// one query per request; an unknown name is the page's 404.

async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound();
    throw error;
  }
}

export const loadCatalogServer = cache((name: string) => orNotFound(boundedCatalogRead("Reading this server", () => getCatalogServer(getCatalogPool(), name))));
export const loadCatalogTool = cache((server: string, tool: string) =>
  orNotFound(boundedCatalogRead("Reading this tool", () => getCatalogTool(getCatalogPool(), server, tool))),
);
