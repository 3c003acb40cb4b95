import Link from "next/link";

/** The primary action that starts registering a server: a link styled as the primary button. */
export function RegisterServerLink({ children = "Register a server" }: { children?: string }) {
  return (
    <Link
      href="/servers/new"
      className="inline-flex h-10 items-center justify-center gap-2 rounded-md bg-indigo-600 px-4 text-sm font-medium text-white transition-colors hover:bg-indigo-500"
    >
      <span aria-hidden="true" className="text-base leading-none">
        +
      </span>
      {children}
    </Link>
  );
}
