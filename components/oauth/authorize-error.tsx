import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";

/**
 * A sign-in request Portcullis will not go on with, shown to the person rather than sent back to the client: the
 * client or its redirect URI is not to be trusted with an answer, or the server is not theirs to grant.
 */
export function AuthorizeError({ error }: { error: Error & { errorCode?: string } }) {
  return (
    <Card className="p-6">
      <h1 className="text-xl font-semibold tracking-tight">This sign-in cannot go on</h1>
      <div className="mt-4">
        <Alert tone="error">{error.message}</Alert>
      </div>
      <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
        Nothing was granted, and you were not sent back to the app. Return to the app that sent you here and start again; if this keeps happening,
        the app&apos;s sign-in needs fixing by its makers.
      </p>
      <div className="mt-5 flex flex-wrap items-center justify-between gap-3 text-sm">
        {error.errorCode ? <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">OAuth error: {error.errorCode}</span> : <span />}
        <Link href="/servers" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Open the Portcullis console
        </Link>
      </div>
    </Card>
  );
}
