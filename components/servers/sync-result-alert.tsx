import { Alert } from "@/components/ui/alert";
import type { SyncResult } from "@/lib/query-hooks/servers";

function count(n: number, word: string) {
  return `${n} ${n === 1 ? "tool" : "tools"} ${word}`;
}

/** What a re-sync found ("2 tools added, 1 changed, 0 removed"), or why it failed. */
export function SyncResultAlert({ result, onDismiss }: { result: SyncResult; onDismiss: () => void }) {
  const dismiss = (
    <button type="button" onClick={onDismiss} className="mt-2 text-xs font-medium underline">
      Dismiss
    </button>
  );
  if (result.outcome === "failed") {
    return (
      <Alert tone="error" title="The re-sync failed">
        <p>{result.error?.message ?? "The server could not be synced."}</p>
        <p className="mt-1">Portcullis keeps the tools it found at the last successful sync.</p>
        {dismiss}
      </Alert>
    );
  }
  const { added, changed, removed } = result;
  const nothing = added.length + changed.length + removed.length === 0;
  return (
    <Alert tone="success" title="Re-sync finished">
      <p>
        {nothing
          ? `No changes: the server lists the same ${result.server.toolCount === 1 ? "tool" : `${result.server.toolCount} tools`} as before.`
          : `${count(added.length, "added")}, ${changed.length} changed, ${removed.length} removed.`}
      </p>
      {changed.length > 0 && (
        <p className="mt-1">
          Changed tools need review before the gateway forwards calls to them:{" "}
          <a href="#changes" className="font-medium underline">
            see Changes
          </a>
          .
        </p>
      )}
      {dismiss}
    </Alert>
  );
}
