import Link from "next/link";

/**
 * "Connect with OAuth": the way for clients whose connector screen takes a URL and nothing else. The client finds
 * Portcullis's sign-in from the gateway's 401, the person signs in and picks a grant on the consent page.
 */
export function OAuthConnectNote() {
  return (
    <section aria-labelledby="oauth-connect-heading" className="rounded-md border border-indigo-200 bg-indigo-50/60 px-4 py-3 text-sm dark:border-indigo-900 dark:bg-indigo-950/40">
      <h3 id="oauth-connect-heading" className="font-medium text-zinc-900 dark:text-zinc-100">
        Connect with OAuth
      </h3>
      <p className="mt-1 text-zinc-700 dark:text-zinc-300">
        Paste this URL, and nothing else, into a client&apos;s connector screen (Claude, ChatGPT, VS Code, Cursor, Claude Code): it signs you
        in to Portcullis and asks which grant to use. The client then appears on the{" "}
        <Link href="/grants" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Grants page
        </Link>
        , where you can revoke it. Clients that cannot sign in take a grant key in a header instead: the settings below.
      </p>
    </section>
  );
}
