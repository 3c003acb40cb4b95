import Link from "next/link";
import type { ReactNode } from "react";
import { Logo } from "@/components/logo";
import { ThemeToggle } from "@/components/theme-toggle";
import { currentCaller } from "@/lib/auth/current-caller";

// Pages anyone may read (the catalog). The session is read, never required: a signed-in visitor is offered the
// console instead of the sign-in links.
export default async function PublicLayout({ children }: { children: ReactNode }) {
  const caller = await currentCaller();
  const link = "text-sm font-medium text-zinc-700 hover:text-zinc-900 hover:underline dark:text-zinc-300 dark:hover:text-zinc-100";
  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-6 py-3">
          <nav aria-label="Site" className="flex items-center gap-5">
            <Link href="/catalog" className="flex items-center gap-2 font-semibold">
              <Logo />
              <span>Portcullis</span>
            </Link>
            <Link href="/catalog" className={link}>
              Catalog
            </Link>
          </nav>
          <div className="flex items-center gap-4">
            {caller ? (
              <Link href="/servers" className={link}>
                Open the console
              </Link>
            ) : (
              <>
                <Link href="/sign-in" className={link}>
                  Sign in
                </Link>
                <Link href="/sign-up" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">
                  Sign up
                </Link>
              </>
            )}
            <ThemeToggle />
          </div>
        </div>
      </header>
      <main className="mx-auto w-full max-w-6xl flex-1 px-6 py-8">{children}</main>
    </div>
  );
}
