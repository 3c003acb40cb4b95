/**
 * Untrusted text from a server's authors, shown as text (React escapes it) and clamped when long: the first part
 * stays visible and the rest opens with a native disclosure, so no script is needed.
 */
export function ClampedText({ text, limit = 600, className = "" }: { text: string; limit?: number; className?: string }) {
  if (text.length <= limit) return <p className={`text-sm break-words whitespace-pre-line ${className}`}>{text}</p>;
  const cut = text.lastIndexOf(" ", limit) > limit * 0.6 ? text.lastIndexOf(" ", limit) : limit;
  return (
    <details className={`group text-sm ${className}`}>
      <summary className="cursor-pointer list-none break-words whitespace-pre-line">
        <span className="group-open:hidden">
          {text.slice(0, cut)}… <span className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">Show all ({text.length.toLocaleString("en")} characters)</span>
        </span>
        <span className="hidden font-medium text-indigo-600 hover:underline group-open:inline dark:text-indigo-400">Show less</span>
      </summary>
      <p className="mt-2 break-words whitespace-pre-line">{text}</p>
    </details>
  );
}
