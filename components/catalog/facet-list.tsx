import Link from "next/link";

export interface FacetItem {
  value: string;
  label: string;
  count: number;
  selected: boolean;
  href: string;
}

/**
 * One filter: each value a link that adds or removes it in the URL, with how many results it would give (at least
 * that many, for a search too broad to count whole: a value none of the counted results had then shows no count).
 */
export function FacetList({ title, items, atLeast = false }: { title: string; items: FacetItem[]; atLeast?: boolean }) {
  if (items.length === 0) return null;
  return (
    <div>
      <h2 className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{title}</h2>
      <ul className="space-y-0.5" data-facet={title}>
        {items.map((item) => (
          <li key={item.value}>
            <Link
              href={item.href}
              role="checkbox"
              aria-checked={item.selected}
              data-value={item.value}
              className={`flex items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800 ${item.count === 0 && !item.selected && !atLeast ? "text-zinc-400 dark:text-zinc-500" : ""}`}
            >
              <span
                aria-hidden="true"
                className={`flex h-3.5 w-3.5 shrink-0 items-center justify-center rounded-sm border text-[10px] leading-none ${item.selected ? "border-indigo-600 bg-indigo-600 text-white" : "border-zinc-400 dark:border-zinc-600"}`}
              >
                {item.selected ? "✓" : ""}
              </span>
              <span className="min-w-0 flex-1 truncate">{item.label}</span>
              {atLeast ? (
                item.count > 0 && (
                  <span className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400" data-count title={`at least ${item.count.toLocaleString("en")}`}>
                    <span className="sr-only">at least </span>
                    {item.count.toLocaleString("en")}+
                  </span>
                )
              ) : (
                <span className="text-xs text-zinc-500 tabular-nums dark:text-zinc-400" data-count>
                  {item.count.toLocaleString("en")}
                </span>
              )}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
