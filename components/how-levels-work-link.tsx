import Link from "next/link";

/** The way from a risk badge to the rubric behind it (docs/risk-levels.md, shown at /risk-levels). */
export function HowLevelsWorkLink({ className = "" }: { className?: string }) {
  return (
    <Link href="/risk-levels" className={`text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400 ${className}`}>
      How levels work
    </Link>
  );
}
