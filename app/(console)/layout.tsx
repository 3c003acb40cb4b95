import type { ReactNode } from "react";
import { ConsoleNav } from "@/components/console-nav";
import { Logo } from "@/components/logo";
import { SignOutButton } from "@/components/sign-out-button";
import { ThemeToggle } from "@/components/theme-toggle";
import { requireCaller } from "@/lib/auth/current-caller";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const caller = await requireCaller();
  return (
    <div className="min-h-screen md:flex">
      <aside className="border-b border-zinc-200 bg-white md:sticky md:top-0 md:flex md:h-screen md:w-60 md:flex-col md:border-r md:border-b-0 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex items-center gap-2 px-5 py-4 font-semibold">
          <Logo />
          <span>Portcullis</span>
        </div>
        <ConsoleNav />
        <div className="mt-auto hidden space-y-3 border-t border-zinc-200 px-5 py-4 md:block dark:border-zinc-800">
          <p className="truncate text-sm text-zinc-600 dark:text-zinc-400" title={caller.email}>
            {caller.email}
          </p>
          <div className="flex items-center justify-between gap-2">
            <ThemeToggle />
            <SignOutButton />
          </div>
        </div>
      </aside>
      <div className="min-w-0 flex-1">
        <div className="flex items-center justify-end gap-3 border-b border-zinc-200 px-4 py-2 md:hidden dark:border-zinc-800">
          <ThemeToggle />
          <SignOutButton />
        </div>
        <main className="mx-auto max-w-5xl px-6 py-8">{children}</main>
      </div>
    </div>
  );
}
