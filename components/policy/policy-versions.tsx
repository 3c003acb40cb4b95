"use client";

import { useState } from "react";
import { LoadError } from "@/components/load-error";
import { policyToText } from "@/components/policy/policy-text";
import { TextDiff } from "@/components/policy/text-diff";
import { RelativeTime } from "@/components/relative-time";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { LoadingText } from "@/components/ui/loading-text";
import { normalizePolicy, type PolicyDocument } from "@/lib/policy";
import { usePolicyVersion, usePolicyVersions, useRollBackPolicy } from "@/lib/query-hooks/policies";

/** Every saved version, newest first: pick two to compare them, or roll back to one. */
export function PolicyVersions({ serverId, dirty }: { serverId: string; dirty: boolean }) {
  const versions = usePolicyVersions(serverId);
  const rollBack = useRollBackPolicy(serverId);
  const [selected, setSelected] = useState<number[]>([]);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [rolledBack, setRolledBack] = useState<{ from: number; saved: number } | null>(null);

  if (versions.isPending) return <LoadingText>Loading the versions…</LoadingText>;
  if (versions.isError) return <LoadError title="The versions could not be loaded" error={versions.error} onRetry={() => void versions.refetch()} />;
  const list = versions.data;
  if (list.length === 0) {
    return (
      <Card className="px-5 py-10 text-center text-sm text-zinc-600 dark:text-zinc-400">
        <p className="font-medium text-zinc-900 dark:text-zinc-100">No versions yet</p>
        <p className="mt-1">Every save becomes a new version here, with who saved it, when and why. The newest one is the active policy, the one the gateway will enforce.</p>
      </Card>
    );
  }
  const newest = list[0]!.version;

  function toggle(version: number) {
    setSelected((current) => {
      if (current.includes(version)) return current.filter((v) => v !== version);
      // Two at most: choosing a third replaces the one chosen first.
      return [...current, version].slice(-2);
    });
  }

  const [a, b] = [...selected].sort((x, y) => x - y);

  return (
    <div className="space-y-6">
      <div aria-live="polite">
        {rolledBack && (
          <Alert tone="success" title={`Saved version ${rolledBack.saved}: a copy of version ${rolledBack.from}`}>
            It is now the active policy.{dirty ? " Your unsaved edits are still in the editor; saving them will ask you to review this version first." : ""}
          </Alert>
        )}
        {rollBack.isError && (
          <Alert tone="error" title="The roll back was not saved">
            {rollBack.error.message}
          </Alert>
        )}
      </div>

      <Card className="overflow-x-auto">
        <table className="w-full min-w-[40rem] text-left text-sm" aria-label="Policy versions">
          <thead className="border-b border-zinc-200 text-xs tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
            <tr>
              <th scope="col" className="w-32 py-2 pr-6 pl-5 font-medium">
                Compare
              </th>
              <th scope="col" className="w-28 py-2 pr-4 font-medium">
                Version
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                Message
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                Saved
              </th>
              <th scope="col" className="py-2 pr-5 text-right font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {list.map((version) => (
              <tr key={version.version} data-testid="version-row" data-version={version.version} className="align-top">
                <td className="py-3 pl-5">
                  <input
                    type="checkbox"
                    checked={selected.includes(version.version)}
                    onChange={() => toggle(version.version)}
                    aria-label={`Compare version ${version.version}`}
                    className="h-4 w-4 accent-indigo-600"
                  />
                </td>
                <td className="py-3 pr-4 whitespace-nowrap">
                  <div className="flex flex-col items-start gap-1">
                    <span className="font-medium">Version {version.version}</span>
                    {version.version === newest && <Badge tone="green">Active</Badge>}
                  </div>
                </td>
                <td className="py-3 pr-4 break-words">{version.message}</td>
                <td className="max-w-56 py-3 pr-4 text-zinc-600 dark:text-zinc-400">
                  <span className="block truncate" title={version.createdBy}>
                    {version.createdBy}
                  </span>
                  <RelativeTime value={version.createdAt} className="text-xs" />
                </td>
                <td className="py-3 pr-5 text-right">
                  {version.version !== newest && (
                    <Button variant="secondary" size="sm" className="whitespace-nowrap" onClick={() => setConfirming(version.version)}>
                      Roll back to this version
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>

      {a !== undefined && b !== undefined ? (
        <VersionDiff serverId={serverId} before={a} after={b} />
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {list.length === 1 ? "Save another version to compare two." : "Tick two versions to see what changed between them."}
        </p>
      )}

      <ConfirmDialog
        open={confirming !== null}
        tone="primary"
        title={`Roll back to version ${confirming}?`}
        confirmLabel="Roll back"
        pending={rollBack.isPending}
        onCancel={() => {
          setConfirming(null);
          rollBack.reset();
        }}
        onConfirm={() => {
          if (confirming === null) return;
          const from = confirming;
          rollBack.mutate(
            { version: from, basedOn: newest },
            {
              onSuccess: (result) => {
                setRolledBack({ from, saved: result.saved.version });
                setConfirming(null);
              },
              onError: () => setConfirming(null),
            },
          );
        }}
      >
        <p>
          Version {confirming}’s policy is saved again as version {newest + 1}, with the message “Roll back to version {confirming}”, and becomes
          the active policy at once. No version is deleted, so you can roll forward the same way.
        </p>
        {dirty && <p>Your unsaved edits stay in the editor.</p>}
      </ConfirmDialog>
    </div>
  );
}

function VersionDiff({ serverId, before, after }: { serverId: string; before: number; after: number }) {
  const older = usePolicyVersion(serverId, before);
  const newer = usePolicyVersion(serverId, after);
  const [meaningOnly, setMeaningOnly] = useState(false);
  const title = `Changes from version ${before} to version ${after}`;
  let body;
  if (older.isPending || newer.isPending) body = <LoadingText>Loading both versions…</LoadingText>;
  else if (older.isError || newer.isError) {
    const failed = older.isError ? older : newer;
    body = <LoadError title="A version could not be loaded" error={failed.error!} onRetry={() => void failed.refetch()} />;
  } else {
    const show = (version: { text: string; document: Record<string, unknown> }) =>
      meaningOnly ? policyToText(normalizePolicy(version.document as unknown as PolicyDocument)) : version.text;
    body = <TextDiff before={show(older.data)} after={show(newer.data)} label={title} />;
  }
  return (
    <section aria-label={title} className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h3 className="text-base font-semibold">{title}</h3>
        <label className="flex items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
          <input type="checkbox" checked={meaningOnly} onChange={(event) => setMeaningOnly(event.target.checked)} className="h-4 w-4 accent-indigo-600" />
          Ignore formatting and key order
        </label>
      </div>
      {body}
    </section>
  );
}
