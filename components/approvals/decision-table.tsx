import Link from "next/link";
import { ApprovalStatusBadge } from "@/components/approvals/approval-status-badge";
import { RelativeTime } from "@/components/relative-time";
import { Card } from "@/components/ui/card";
import type { ApprovalView } from "@/lib/query-hooks/approvals";

/** When the approval last changed: made, decided, expired or withdrawn. */
function lastChange(approval: ApprovalView): { at: string; what: string } {
  if (approval.usedAt) return { at: approval.usedAt, what: "Made" };
  if (approval.status === "expired") return { at: approval.closedAt ?? approval.expiresAt, what: "Expired" };
  if (approval.status === "withdrawn") return { at: approval.closedAt ?? approval.createdAt, what: "Withdrawn" };
  if (approval.decidedAt) return { at: approval.decidedAt, what: "Decided" };
  return { at: approval.createdAt, what: "Held" };
}

/** Approvals no longer waiting, newest first: what was asked, what happened to it, who decided and what they said. */
export function DecisionTable({ approvals }: { approvals: readonly ApprovalView[] }) {
  return (
    <Card className="overflow-x-auto">
      <table className="w-full min-w-[48rem] text-left text-sm" aria-label="Recent decisions">
        <thead className="border-b border-zinc-200 text-xs tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <th scope="col" className="py-2.5 pr-4 pl-5 font-medium">
              Tool
            </th>
            <th scope="col" className="py-2.5 pr-4 font-medium">
              Server
            </th>
            <th scope="col" className="py-2.5 pr-4 font-medium">
              Grant
            </th>
            <th scope="col" className="py-2.5 pr-4 font-medium">
              Status
            </th>
            <th scope="col" className="py-2.5 pr-4 font-medium">
              Decided by
            </th>
            <th scope="col" className="py-2.5 pr-4 font-medium">
              Note
            </th>
            <th scope="col" className="py-2.5 pr-5 font-medium">
              When
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {approvals.map((approval) => {
            const change = lastChange(approval);
            return (
              <tr key={approval.id} data-testid="decision-row" data-status={approval.status} className="align-top">
                <td className="py-3 pr-4 pl-5 font-mono font-medium whitespace-nowrap text-zinc-900 dark:text-zinc-100">{approval.tool}</td>
                <td className="py-3 pr-4">
                  <Link href={`/servers/${approval.server.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
                    {approval.server.name}
                  </Link>
                </td>
                <td className="py-3 pr-4 break-words">{approval.grant.name}</td>
                <td className="py-3 pr-4">
                  <ApprovalStatusBadge status={approval.status} />
                </td>
                <td className="py-3 pr-4 break-words">
                  {approval.decidedBy ?? <span className="text-zinc-500 dark:text-zinc-400">Nobody</span>}
                </td>
                <td className="max-w-64 py-3 pr-4 text-zinc-700 dark:text-zinc-300">
                  {approval.note ? (
                    <p className="line-clamp-3 break-words" title={approval.note}>
                      {approval.note}
                    </p>
                  ) : (
                    <span className="text-zinc-400 dark:text-zinc-500">—</span>
                  )}
                </td>
                <td className="py-3 pr-5 whitespace-nowrap">
                  <span className="sr-only">{change.what} </span>
                  <RelativeTime value={change.at} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Card>
  );
}
