"use client";

import { useState } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { Tabs, tabId, tabPanelId } from "@/components/ui/tabs";
import { connectSnippets, type ConnectClient } from "@/lib/gateway/connect-snippets";

const ID_PREFIX = "connect";

/** Ready-to-paste settings for each MCP client, one tab each, filled with the key when it was just created. */
export function ConnectSnippetTabs({ serverName, url, grantKey }: { serverName: string; url: string; grantKey: string | null }) {
  const snippets = connectSnippets({ serverName, url, key: grantKey });
  const [selected, setSelected] = useState<ConnectClient>("claude-code");
  const snippet = snippets.find((s) => s.client === selected) ?? snippets[0]!;
  const codeId = `connect-snippet-${snippet.client}`;
  return (
    <div>
      <Tabs items={snippets.map((s) => ({ id: s.client, label: s.label }))} selected={snippet.client} onSelect={setSelected} idPrefix={ID_PREFIX} label="MCP clients" />
      <div role="tabpanel" id={tabPanelId(ID_PREFIX, snippet.client)} aria-labelledby={tabId(ID_PREFIX, snippet.client)} className="space-y-3 pt-4">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{snippet.hint}</p>
        <div className="overflow-hidden rounded-md border border-zinc-200 dark:border-zinc-800">
          <div className="flex items-center justify-between gap-2 border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 dark:border-zinc-800 dark:bg-zinc-900">
            <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{snippet.location}</span>
            <CopyButton key={snippet.client} value={snippet.text} targetId={codeId} label={snippet.format === "json" ? "Copy JSON" : "Copy command"} />
          </div>
          <pre tabIndex={0} aria-label={`${snippet.label} settings`} className="bg-white p-4 font-mono text-xs leading-5 whitespace-pre-wrap wrap-anywhere dark:bg-zinc-950">
            <code id={codeId} data-testid="connect-snippet">
              {snippet.text}
            </code>
          </pre>
        </div>
      </div>
    </div>
  );
}
