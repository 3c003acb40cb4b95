"use client";

import { useTheme } from "next-themes";
import { useEffect, useMemo, useRef, useState } from "react";
import type { RuleProposal } from "@/components/policy/catalog-proposal";
import { CatalogProposalBanner } from "@/components/policy/catalog-proposal-banner";
import { ConflictPanel } from "@/components/policy/conflict-panel";
import { PolicyBuilderView } from "@/components/policy/policy-builder-view";
import { PolicyHeading } from "@/components/policy/policy-heading";
import type { JsonEditorHandle } from "@/components/policy/policy-json-editor";
import { PolicyJsonView } from "@/components/policy/policy-json-view";
import { PolicySaveBar } from "@/components/policy/policy-save-bar";
import { PolicySimulator } from "@/components/policy/policy-simulator";
import { parseForBuilder, policyToText, type EditorIssue } from "@/components/policy/policy-text";
import { PolicyVersions } from "@/components/policy/policy-versions";
import { usePolicyDraft } from "@/components/policy/use-policy-draft";
import { Tabs, tabId, tabPanelId } from "@/components/ui/tabs";
import { parseJsonWithSourceMap } from "@/lib/policy";
import type { PolicyState } from "@/lib/query-hooks/policies";
import type { ServerView, ToolSummary } from "@/lib/query-hooks/servers";

type Tab = "builder" | "json" | "versions" | "simulator";
const TABS_ID = "policy";

/**
 * One server's policy: the draft in the builder or as JSON, its versions, the simulator, and saving it. A `proposal`
 * (from a catalog tool's "Use this policy") starts the draft with the catalog's rule in it.
 */
export function PolicyWorkspace({
  server,
  state,
  tools,
  proposal,
}: {
  server: ServerView;
  state: PolicyState;
  tools: ToolSummary[];
  proposal?: RuleProposal | null;
}) {
  const toolNames = useMemo(() => tools.map((t) => t.name), [tools]);
  const draft = usePolicyDraft(server.id, state, toolNames, proposal);
  const { text, dirty, active, conflict, issues, errorCount } = draft;
  const [tab, setTab] = useState<Tab>("builder");
  const editor = useRef<JsonEditorHandle | null>(null);
  const pendingGoTo = useRef<number | null>(null);
  const { resolvedTheme } = useTheme();

  const builder = useMemo(() => (tab === "builder" ? parseForBuilder(text) : null), [tab, text]);
  const formattable = useMemo(() => {
    if (tab !== "json") return false;
    const parsed = parseJsonWithSourceMap(text);
    return parsed.ok && parsed.duplicateKeys.length === 0;
  }, [tab, text]);

  useEffect(() => {
    if (tab !== "json" || pendingGoTo.current === null) return;
    const offset = pendingGoTo.current;
    pendingGoTo.current = null;
    // The editor was hidden: let it lay out before scrolling to the place.
    const frame = requestAnimationFrame(() => editor.current?.goTo(offset));
    return () => cancelAnimationFrame(frame);
  }, [tab]);

  function showIssue(issue: EditorIssue) {
    if (tab === "json") editor.current?.goTo(issue.from);
    else {
      pendingGoTo.current = issue.from;
      setTab("json");
    }
  }

  return (
    <div className="space-y-6">
      <PolicyHeading server={server} active={active} />

      <CatalogProposalBanner draft={draft} toolNames={toolNames} />

      {conflict && (
        <ConflictPanel
          mine={conflict.mine}
          detail={conflict.detail}
          newest={active}
          editorHasMine={text === conflict.mine}
          saving={draft.save.isPending}
          onLoadNewest={draft.loadNewest}
          onRestoreMine={draft.restoreMine}
          onSaveMine={draft.saveMineOnNewest}
          onDismiss={draft.dismissConflict}
        />
      )}

      <div>
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div className="min-w-0 flex-1">
            <Tabs<Tab>
              idPrefix={TABS_ID}
              label="Policy views"
              selected={tab}
              onSelect={setTab}
              items={[
                { id: "builder", label: "Builder" },
                {
                  id: "json",
                  label: "JSON",
                  badge:
                    errorCount > 0 ? (
                      <span className="rounded-full bg-red-100 px-1.5 text-xs text-red-800 dark:bg-red-950 dark:text-red-300" aria-label={`${errorCount} errors`}>
                        {errorCount}
                      </span>
                    ) : undefined,
                },
                { id: "versions", label: "Versions" },
                { id: "simulator", label: "Simulator" },
              ]}
            />
          </div>
          <p className="pb-2 text-sm" role="status" data-testid="save-state">
            {dirty ? (
              <span className="inline-flex items-center gap-1.5 font-medium text-amber-700 dark:text-amber-400">
                <span aria-hidden="true" className="h-2 w-2 rounded-full bg-current" />
                Unsaved changes
              </span>
            ) : active ? (
              <span className="text-zinc-500 dark:text-zinc-400">No unsaved changes</span>
            ) : (
              <span className="text-zinc-500 dark:text-zinc-400">Not saved yet</span>
            )}
          </p>
        </div>

        <div className="pt-6">
          <div role="tabpanel" id={tabPanelId(TABS_ID, "builder")} aria-labelledby={tabId(TABS_ID, "builder")} hidden={tab !== "builder"}>
            {tab === "builder" && (
              <PolicyBuilderView
                builder={builder}
                tools={tools}
                serverName={server.name}
                issues={issues}
                onChange={(doc) => draft.edit(policyToText(doc))}
                onShowIssue={showIssue}
                onOpenJson={() => setTab("json")}
              />
            )}
          </div>

          <div role="tabpanel" id={tabPanelId(TABS_ID, "json")} aria-labelledby={tabId(TABS_ID, "json")} hidden={tab !== "json"} className="space-y-4">
            <PolicyJsonView
              text={text}
              formattable={formattable}
              issues={issues}
              issuesText={draft.checkedText}
              checking={draft.checking}
              examples={draft.local.check.tests?.results.length ?? 0}
              dark={resolvedTheme === "dark"}
              editor={editor}
              onChange={draft.edit}
              onShowIssue={showIssue}
            />
          </div>

          {tab === "versions" && (
            <div role="tabpanel" id={tabPanelId(TABS_ID, "versions")} aria-labelledby={tabId(TABS_ID, "versions")}>
              <PolicyVersions serverId={server.id} dirty={dirty} />
            </div>
          )}

          {tab === "simulator" && (
            <div role="tabpanel" id={tabPanelId(TABS_ID, "simulator")} aria-labelledby={tabId(TABS_ID, "simulator")}>
              <PolicySimulator
                serverId={server.id}
                tools={tools}
                text={text}
                editorErrors={errorCount}
                dirty={dirty}
                activeVersion={active?.version ?? null}
              />
            </div>
          )}
        </div>
      </div>

      {(tab === "builder" || tab === "json") && <PolicySaveBar draft={draft} onShowIssue={showIssue} />}
    </div>
  );
}
