"use client";

import Link from "next/link";
import { Button } from "@/components/ui/button";

// A catalog page that could not be read: most often the catalog's bounds at work (all its database connections busy,
// or a read past its time limit), or the database unreachable. Nothing was changed; trying again usually works.
export default function CatalogError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-md py-16 text-center" role="alert">
      <p className="text-sm font-medium text-indigo-600 dark:text-indigo-400">Try again</p>
      <h1 className="mt-2 text-2xl font-semibold">This catalog page could not be read just now</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        The catalog may be answering as many requests as it takes at once, or the database may be out of reach. Try again in a moment.
      </p>
      <div className="mt-6 flex items-center justify-center gap-4">
        <Button onClick={reset}>Try again</Button>
        <Link href="/catalog" className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Search the catalog
        </Link>
      </div>
    </div>
  );
}
