import type { Metadata } from "next";
import { ApprovalWebhookSection } from "@/components/approvals/approval-webhook-section";
import { PageHeader } from "@/components/page-header";
import { SignOutEverywhereSection } from "@/components/sessions/sign-out-everywhere-section";
import { TokenSection } from "@/components/tokens/token-section";
import { Card } from "@/components/ui/card";
import { getAccount } from "@/lib/accounts/get-account";
import { requireCaller } from "@/lib/auth/current-caller";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const caller = await requireCaller();
  const { user, workspace } = await getAccount(caller);
  return (
    <>
      <PageHeader title="Settings" description="Your account, your workspace, your access to the management API, where calls held for approval are announced, and signing out everywhere." />
      <Card className="mb-8">
        <dl className="grid gap-4 p-5 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">Email</dt>
            <dd className="mt-1 font-medium">{user.email}</dd>
          </div>
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">Name</dt>
            <dd className="mt-1 font-medium">{user.name ?? "Not set"}</dd>
          </div>
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">Workspace</dt>
            <dd className="mt-1 font-medium">{workspace.name}</dd>
          </div>
        </dl>
      </Card>
      <TokenSection />
      <ApprovalWebhookSection />
      <SignOutEverywhereSection email={user.email} />
    </>
  );
}
