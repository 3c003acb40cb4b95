"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { PendingApprovalsBadge } from "@/components/approvals/pending-approvals-badge";

export const NAV_ITEMS = [
  { href: "/servers", label: "Servers" },
  { href: "/policies", label: "Policies" },
  { href: "/grants", label: "Grants" },
  { href: "/activity", label: "Activity" },
  { href: "/approvals", label: "Approvals" },
  { href: "/settings", label: "Settings" },
] as const;

export function ConsoleNav() {
  const pathname = usePathname();
  return (
    // On a phone the items wrap rather than scroll, so none is out of sight.
    <nav aria-label="Main" className="flex flex-wrap gap-1 px-3 pb-3 md:flex-col md:flex-nowrap md:pb-0">
      {NAV_ITEMS.map((item) => {
        // Tool pages belong to their server, so they keep "Servers" highlighted.
        const active =
          pathname === item.href || pathname.startsWith(`${item.href}/`) || (item.href === "/servers" && pathname.startsWith("/tools/"));
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={`relative flex items-center justify-between gap-2 rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap ${
              active
                ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300"
                : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
            }`}
          >
            {item.label}
            {item.href === "/approvals" && <PendingApprovalsBadge />}
          </Link>
        );
      })}
    </nav>
  );
}
