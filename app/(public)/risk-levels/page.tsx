import { readFileSync } from "node:fs";
import path from "node:path";
import { marked } from "marked";
import type { Metadata } from "next";

// The risk rubric, docs/risk-levels.md, as a public page: the one text the classifier, the risk set and people read.
// The file is ours, so its HTML is rendered as it is; it is read once per process, at the first request.

export const metadata: Metadata = {
  title: "How risk levels work",
  description: "What Low, Medium, High and Critical mean for an MCP tool, the categories, and what happens to a level when the classifier changes.",
};

let rendered: string | undefined;

function rubricHtml(): string {
  // Read at run time from the app's folder (as the migrations are), never bundled.
  rendered ??= marked.parse(readFileSync(/* turbopackIgnore: true */ path.join(process.cwd(), "docs", "risk-levels.md"), "utf8"), { async: false });
  return rendered;
}

const ARTICLE = [
  "max-w-4xl text-sm leading-6 text-zinc-700 dark:text-zinc-300",
  "[&_h1]:text-2xl [&_h1]:font-semibold [&_h1]:tracking-tight [&_h1]:text-zinc-900 dark:[&_h1]:text-zinc-100",
  "[&_h2]:mt-10 [&_h2]:text-lg [&_h2]:font-semibold [&_h2]:text-zinc-900 dark:[&_h2]:text-zinc-100",
  "[&_p]:mt-3 [&_ul]:mt-3 [&_ul]:list-disc [&_ul]:space-y-1 [&_ul]:pl-5 [&_ol]:mt-3 [&_ol]:list-decimal [&_ol]:space-y-1 [&_ol]:pl-5",
  "[&_strong]:font-semibold [&_strong]:text-zinc-900 dark:[&_strong]:text-zinc-100",
  "[&_code]:rounded [&_code]:bg-zinc-100 [&_code]:px-1 [&_code]:py-0.5 [&_code]:font-mono [&_code]:text-xs dark:[&_code]:bg-zinc-800",
  "[&_a]:font-medium [&_a]:text-indigo-600 [&_a]:hover:underline dark:[&_a]:text-indigo-400",
  "[&_table]:mt-4 [&_table]:w-full [&_table]:border-collapse [&_table]:overflow-hidden [&_table]:rounded-lg [&_table]:bg-white dark:[&_table]:bg-zinc-900",
  "[&_th]:border [&_th]:border-zinc-200 [&_th]:bg-zinc-50 [&_th]:px-3 [&_th]:py-2 [&_th]:text-left [&_th]:font-medium dark:[&_th]:border-zinc-800 dark:[&_th]:bg-zinc-800/60",
  "[&_td]:border [&_td]:border-zinc-200 [&_td]:px-3 [&_td]:py-2 [&_td]:align-top dark:[&_td]:border-zinc-800",
].join(" ");

export default function RiskLevelsPage() {
  return (
    <article className={ARTICLE}>
      {/* The table may be wider than a phone: it scrolls inside the page instead of widening it. */}
      <div className="overflow-x-auto" dangerouslySetInnerHTML={{ __html: rubricHtml() }} />
    </article>
  );
}
