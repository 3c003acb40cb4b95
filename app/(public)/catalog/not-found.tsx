import Link from "next/link";

export default function CatalogNotFound() {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <p className="text-sm font-medium text-indigo-600 dark:text-indigo-400">404</p>
      <h1 className="mt-2 text-2xl font-semibold">The catalog has no such server or tool</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">Names are the registry&rsquo;s (io.github.owner/server). Search for it instead.</p>
      <Link href="/catalog?type=servers" className="mt-6 inline-block text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
        Search the catalog
      </Link>
    </div>
  );
}
