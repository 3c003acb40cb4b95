/**
 * The catalog's search box: a plain GET form, so it works before any script loads and Enter submits it. The
 * filters already chosen ride along as hidden fields; a new search starts on its first page.
 */
export function CatalogSearchForm({ q, hidden, type }: { q: string; hidden: Record<string, string>; type: "tools" | "servers" }) {
  return (
    <form action="/catalog" method="get" role="search" className="flex gap-2">
      <label htmlFor="catalog-q" className="sr-only">
        Search the catalog
      </label>
      <input
        id="catalog-q"
        name="q"
        type="search"
        defaultValue={q}
        maxLength={200}
        placeholder={type === "tools" ? "Search tools: a name, what it does, an argument (write file, query, delete)…" : "Search servers: a name or what it is for (github, filesystem)…"}
        className="h-10 min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-3 text-sm placeholder:text-zinc-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900"
      />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className="inline-flex h-10 items-center rounded-md bg-indigo-600 px-4 text-sm font-medium text-white hover:bg-indigo-500">
        Search
      </button>
    </form>
  );
}
