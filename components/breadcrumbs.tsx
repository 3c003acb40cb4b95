import Link from "next/link";

/** The path back up from a detail page; the last item is the current page. */
export function Breadcrumbs({ items }: { items: { href?: string; label: string }[] }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-4 text-sm">
      <ol className="flex flex-wrap items-center gap-1.5 text-zinc-500 dark:text-zinc-400">
        {items.map((item, index) => (
          <li key={`${index}-${item.label}`} className="flex min-w-0 items-center gap-1.5">
            {index > 0 && <span aria-hidden="true">/</span>}
            {item.href ? (
              <Link href={item.href} className="truncate hover:text-zinc-900 hover:underline dark:hover:text-zinc-100">
                {item.label}
              </Link>
            ) : (
              <span aria-current="page" className="truncate font-medium text-zinc-900 dark:text-zinc-100">
                {item.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
