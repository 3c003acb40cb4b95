/** The Portcullis mark: a gate's grille. */
export function Logo({ className = "h-7 w-7" }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true">
      <rect x="3" y="3" width="26" height="26" rx="6" className="fill-indigo-600" />
      <path d="M9 8v17M14 8v17M18 8v17M23 8v17M7 13h18M7 19h18" stroke="white" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}
