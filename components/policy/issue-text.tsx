/** A message from the policy check, with its `code spans` shown as code. */
export function IssueText({ text }: { text: string }) {
  const parts = text.split("`");
  // An odd number of backticks leaves the last one unpaired: show it as written.
  if (parts.length % 2 === 0) return <>{text}</>;
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <code key={index} className="rounded bg-zinc-100 px-1 font-mono text-[0.9em] dark:bg-zinc-800">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
