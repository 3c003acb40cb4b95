"use client";

import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useSignOutEverywhere } from "@/lib/query-hooks/sessions";

/** Settings: end every session of the account (a lost laptop, a shared computer), then back to sign-in. */
export function SignOutEverywhereSection({ email }: { email: string }) {
  const router = useRouter();
  const signOutEverywhere = useSignOutEverywhere();
  const [asking, setAsking] = useState(false);
  const [leaving, setLeaving] = useState(false);

  function confirm() {
    signOutEverywhere.mutate(undefined, {
      onSuccess: () => {
        setLeaving(true);
        // This browser's session has ended on the server; signing out clears its cookie and opens the sign-in page
        // (which an ended session's cookie reaches anyway, should that fail).
        signOut({ callbackUrl: "/sign-in" }).catch(() => router.replace("/sign-in"));
      },
      onError: () => setAsking(false),
    });
  }

  return (
    <Card className="mt-8">
      <div className="flex flex-wrap items-start justify-between gap-4 p-5">
        <div className="min-w-0 max-w-2xl">
          <h2 className="text-lg font-semibold">Sign out everywhere</h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Signed in on a computer you no longer use, or lost a device? End every session of your account at once, this
            one included: each browser has to sign in again. Personal access tokens keep working; revoke them under
            Personal access tokens.
          </p>
        </div>
        <Button variant="danger" onClick={() => setAsking(true)} disabled={signOutEverywhere.isPending || leaving}>
          Sign out everywhere
        </Button>
      </div>
      {signOutEverywhere.error && (
        <div className="px-5 pb-5">
          <Alert tone="error">Your sessions could not be ended: {signOutEverywhere.error.message}</Alert>
        </div>
      )}
      <ConfirmDialog
        open={asking}
        title="Sign out everywhere?"
        confirmLabel="Sign out everywhere"
        pending={signOutEverywhere.isPending || leaving}
        onCancel={() => setAsking(false)}
        onConfirm={confirm}
      >
        <p>
          Every browser and device signed in as {email} is signed out, this one included, and you go back to the sign-in
          page.
        </p>
      </ConfirmDialog>
    </Card>
  );
}
