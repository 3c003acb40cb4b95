import { jsonLdText } from "@/components/catalog/json-ld-text";

/** Structured data for search engines: a JSON-LD data block, which browsers never run. */
export function JsonLd({ data }: { data: Record<string, unknown> }) {
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLdText(data) }} />;
}
