import { headers } from "next/headers";
import { publicUrl } from "@/lib/env";
import { requestOrigin } from "@/lib/http/request-origin";

// Structured data for catalog pages, built only from what the catalog holds: a server's name, description, version
// and its own https addresses, and the page's breadcrumbs. Nothing is inferred or made up (no ratings, prices or
// operating systems), and a field the entry lacks is left out.

/** The origin absolute URLs are built on: the configured public address, else the one the request came to. */
export async function pageOrigin(): Promise<string> {
  return publicUrl() ?? requestOrigin({ headers: await headers(), url: "" }) ?? "http://localhost";
}

const httpsOnly = (url: string | null) => (url?.startsWith("https://") ? url : undefined);

export function serverJsonLd(server: {
  name: string;
  title: string | null;
  description: string | null;
  version: string | null;
  repositoryUrl: string | null;
  websiteUrl: string | null;
}): Record<string, unknown> {
  const data: Record<string, unknown> = {
    "@context": "https://schema.org",
    "@type": "SoftwareSourceCode",
    name: server.title ?? server.name,
    identifier: server.name,
    description: server.description ?? undefined,
    version: server.version ?? undefined,
    codeRepository: httpsOnly(server.repositoryUrl),
    url: httpsOnly(server.websiteUrl),
  };
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
}

export function breadcrumbJsonLd(origin: string, items: { label: string; href: string }[]): Record<string, unknown> {
  return {
    "@context": "https://schema.org",
    "@type": "BreadcrumbList",
    itemListElement: items.map((item, index) => ({ "@type": "ListItem", position: index + 1, name: item.label, item: origin + item.href })),
  };
}

/** The page's own questions and answers, as they are shown (code marks dropped). */
export function faqJsonLd(questions: { question: string; answer: string }[]): Record<string, unknown> {
  const plain = (text: string) => text.replaceAll("`", "");
  return {
    "@context": "https://schema.org",
    "@type": "FAQPage",
    mainEntity: questions.map(({ question, answer }) => ({
      "@type": "Question",
      name: plain(question),
      acceptedAnswer: { "@type": "Answer", text: plain(answer) },
    })),
  };
}
