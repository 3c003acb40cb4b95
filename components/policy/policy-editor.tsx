"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTheme } from "next-themes";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { LoadError } from "@/components/load-error";
import { ConflictPanel } from "@/components/policy/conflict-panel";
import { IssueText } from "@/components/policy/issue-text";
import { PolicyBuilder } from "@/components/policy/policy-builder";
import { PolicyJsonEditor, type JsonEditorHandle } from "@/components/policy/policy-json-editor";
import { PolicyProblems } from "@/components/policy/policy-problems";
import { PolicySimulator } from "@/components/policy/policy-simulator";
import {
  STARTER_POLICY,
  checkText,
  issuesFromServer,
  mergeIssues,
  parseForBuilder,
  policyToText,
  type EditorIssue,
} from "@/components/policy/policy-text";
import { PolicyVersions } from "@/components/policy/policy-versions";
import { useDebouncedValue } from "@/components/policy/use-debounced-value";
import { useUnsavedChangesGuard } from "@/components/policy/use-unsaved-changes-guard";
import { RelativeTime } from "@/components/relative-time";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState } from "@/components/ui/empty-state";
import { LoadingText } from "@/components/ui/loading-text";
import { Tabs, tabId, tabPanelId } from "@/components/ui/tabs";
import { parseJsonWithSourceMap, type PolicyDocument } from "@/lib/policy";
import { ApiProblem } from "@/lib/queries/api-fetch";
import { policyKeys, usePolicy, useSavePolicyVersion, type PolicyState, type SaveResult } from "@/lib/queries/policies";
import { useServer, useServerTools, type ServerView, type ToolSummary } from "@/lib/queries/servers";

type Tab = "builder" | "json" | "versions" | "simulator";
const TABS_ID = "policy";

export function PolicyEditor({ serverId }: { serverId: string }) {
  const server = useServer(serverId);
  const policy = usePolicy(serverId);
  const tools = useServerTools(serverId);

  if (server.isError) {
    if (server.error instanceof ApiProblem && server.error.problem.status === 404) {
      return (
        <EmptyState title="This server does not exist">
          <p>It may have been removed, or the link is wrong.</p>
          <p>
            <Link href="/policies" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
              Back to policies
            </Link>
          </p>
        </EmptyState>
      );
    }
    return <LoadError title="The server could not be loaded" error={server.error} onRetry={() => void server.refetch()} />;
  }
  if (policy.isError) return <LoadError title="The policy could not be loaded" error={policy.error} onRetry={() => void policy.refetch()} />;
  if (tools.isError) return <LoadError title="The server's tools could not be loaded" error={tools.error} onRetry={() => void tools.refetch()} />;
  if (server.isPending || policy.isPending || tools.isPending) return <LoadingText>Loading the policy…</LoadingText>;
  return <PolicyWorkspace key={server.data.id} server={server.data} state={policy.data} tools={tools.data} />;
}

function PolicyWorkspace({ server, state, tools }: { server: ServerView; state: PolicyState; tools: ToolSummary[] }) {
  const initialText = state.active?.text ?? policyToText(STARTER_POLICY);
  const [text, setText] = useState(initialText);
  const [baseText, setBaseText] = useState(initialText);
  const [basedOn, setBasedOn] = useState(state.active?.version ?? 0);
  const [seenActive, setSeenActive] = useState(state.active?.version ?? 0);
  const [tab, setTab] = useState<Tab>("builder");
  const [message, setMessage] = useState("");
  const [saved, setSaved] = useState<SaveResult | null>(null);
  const [serverIssues, setServerIssues] = useState<{ text: string; issues: EditorIssue[] } | null>(null);
  const [conflict, setConflict] = useState<{ mine: string; detail: string } | null>(null);
  const save = useSavePolicyVersion(server.id);
  const client = useQueryClient();
  const editor = useRef<JsonEditorHandle | null>(null);
  const pendingGoTo = useRef<number | null>(null);
  const { resolvedTheme } = useTheme();
  const dirty = text !== baseText;
  useUnsavedChangesGuard(dirty);

  // A version saved elsewhere (a roll back, a colleague) is loaded when nothing unsaved would be lost.
  const active = state.active;
  const activeVersion = active?.version ?? 0;
  if (activeVersion !== seenActive) {
    setSeenActive(activeVersion);
    if (!dirty && active) {
      setText(active.text);
      setBaseText(active.text);
      setBasedOn(active.version);
    }
  }

  const toolNames = useMemo(() => tools.map((t) => t.name), [tools]);
  const checkedText = useDebouncedValue(text, 250);
  const local = useMemo(() => checkText(checkedText, toolNames), [checkedText, toolNames]);
  const issues = useMemo(
    () => (serverIssues && serverIssues.text === checkedText ? mergeIssues(local.issues, serverIssues.issues) : local.issues),
    [local, serverIssues, checkedText],
  );
  const checking = checkedText !== text;
  const errorCount = issues.filter((i) => i.kind !== "warning").length;
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

  function edit(next: string) {
    setText(next);
    setSaved(null);
    // A refusal was about the text as it was; the live check takes over from here.
    if (save.isError) save.reset();
  }

  function submitSave(version = basedOn) {
    const submitted = text;
    setSaved(null);
    save.mutate(
      { text: submitted, message, basedOn: version },
      {
        onSuccess: (result) => {
          setBaseText(submitted);
          setBasedOn(result.saved.version);
          setSeenActive(result.saved.version);
          setMessage("");
          setSaved(result);
          setConflict(null);
          setServerIssues(null);
        },
        onError: (error) => {
          if (!(error instanceof ApiProblem)) return;
          if (error.problem.status === 409) {
            setConflict({ mine: submitted, detail: error.problem.detail });
            void client.invalidateQueries({ queryKey: policyKeys.server(server.id) });
          } else if (error.problem.status === 422) {
            const kind = error.problem.code === "policy_tests_failed" ? "test" : "error";
            setServerIssues({ text: submitted, issues: issuesFromServer(submitted, error.problem.errors ?? [], kind) });
          }
        },
      },
    );
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    submitSave();
  }

  const saveProblem = save.error instanceof ApiProblem ? save.error.problem : null;
  const messageError = save.error instanceof ApiProblem ? save.error.fieldError("message") : undefined;
  const refusedIssues = serverIssues?.text === text ? serverIssues.issues : [];

  return (
    <div className="space-y-6">
      <div>
        <Breadcrumbs items={[{ href: "/servers", label: "Servers" }, { href: `/servers/${server.id}`, label: server.name }, { label: "Policy" }]} />
        <div className="flex flex-wrap items-start justify-between gap-4 sm:flex-nowrap">
          <div className="min-w-0">
            <h1 className="text-2xl font-semibold tracking-tight break-all">Policy for {server.name}</h1>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400" data-testid="active-policy">
              {active ? (
                <>
                  The active policy is <span className="font-medium text-zinc-900 dark:text-zinc-100">version {active.version}</span>, saved by {active.createdBy}{" "}
                  <RelativeTime value={active.createdAt} />: “{active.message}”
                </>
              ) : (
                "No policy saved yet. The draft below denies every tool until a rule allows it; save it to make it the first version."
              )}
            </p>
          </div>
          <Link
            href={`/servers/${server.id}`}
            className="inline-flex h-10 shrink-0 items-center rounded-md border border-zinc-300 bg-white px-4 text-sm font-medium whitespace-nowrap hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
          >
            Server and tools
          </Link>
        </div>
      </div>

      {conflict && (
        <ConflictPanel
          mine={conflict.mine}
          detail={conflict.detail}
          newest={active}
          editorHasMine={text === conflict.mine}
          saving={save.isPending}
          onLoadNewest={() => {
            if (!active) return;
            setText(active.text);
            setBaseText(active.text);
            setBasedOn(active.version);
          }}
          onRestoreMine={() => setText(conflict.mine)}
          onSaveMine={() => {
            if (!active) return;
            if (text !== conflict.mine) setText(conflict.mine);
            // Saved explicitly on top of the newest version, so the refusal does not repeat.
            const submitted = conflict.mine;
            save.mutate(
              { text: submitted, message: message.trim() ? message : `Reapply my changes on top of version ${active.version}`, basedOn: active.version },
              {
                onSuccess: (result) => {
                  setText(submitted);
                  setBaseText(submitted);
                  setBasedOn(result.saved.version);
                  setSeenActive(result.saved.version);
                  setMessage("");
                  setSaved(result);
                  setConflict(null);
                },
              },
            );
          }}
          onDismiss={() => setConflict(null)}
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
            {tab === "builder" &&
              (builder?.ok ? (
                <PolicyBuilder
                  doc={builder.document}
                  tools={tools}
                  serverName={server.name}
                  issues={issues}
                  onChange={(doc: PolicyDocument) => edit(policyToText(doc))}
                  onShowIssue={showIssue}
                />
              ) : (
                <EmptyState title="Fix the JSON errors to use the builder">
                  <p>
                    The JSON has {builder && !builder.ok && builder.errorCount > 1 ? `${builder.errorCount} errors` : "an error"} the builder cannot show. Nothing is lost: fix{" "}
                    {builder && !builder.ok && builder.errorCount > 1 ? "them" : "it"} in the JSON view and the builder opens the same document.
                  </p>
                  <div className="pt-2">
                    <Button onClick={() => setTab("json")}>Open the JSON view</Button>
                  </div>
                </EmptyState>
              ))}
          </div>

          <div role="tabpanel" id={tabPanelId(TABS_ID, "json")} aria-labelledby={tabId(TABS_ID, "json")} hidden={tab !== "json"} className="space-y-4">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <p id="policy-json-help" className="text-sm text-zinc-600 dark:text-zinc-400">
                The policy document as JSON. It is checked as you type; see{" "}
                <a href="#policy-problems" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                  Problems
                </a>{" "}
                below the editor.
              </p>
              <div className="flex gap-2">
                <Button
                  variant="secondary"
                  size="sm"
                  disabled={!formattable}
                  title={formattable ? undefined : "Fix the JSON syntax first"}
                  onClick={() => edit(`${JSON.stringify(JSON.parse(text), null, 2)}\n`)}
                >
                  Format
                </Button>
                <CopyButton value={text} label="Copy JSON" />
              </div>
            </div>
            <PolicyJsonEditor
              value={text}
              onChange={edit}
              issues={issues}
              issuesText={checkedText}
              dark={resolvedTheme === "dark"}
              label="Policy JSON"
              describedBy="policy-json-help"
              handleRef={editor}
            />
            <PolicyProblems id="policy-problems" issues={issues} checking={checking} examples={local.check.tests?.results.length ?? 0} onSelect={showIssue} />
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

      {(tab === "builder" || tab === "json") && (
        <div className="sticky bottom-0 z-10 -mx-6 border-t border-zinc-200 bg-zinc-50/95 px-6 py-4 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/95">
          <div className="space-y-3" aria-live="polite">
            {saved && (
              <Alert tone="success" title={`Saved version ${saved.saved.version}`}>
                It is the active policy now.
                {saved.tests.passed > 0 && ` ${saved.tests.passed === 1 ? "Its example passed." : `All ${saved.tests.passed} examples passed.`}`}
                {saved.warnings.length > 0 && ` ${saved.warnings.length === 1 ? "1 warning" : `${saved.warnings.length} warnings`} remain: see the JSON view.`}
              </Alert>
            )}
            {saveProblem && saveProblem.status !== 409 && !messageError && (
              <Alert tone="error" title={saveProblem.code === "policy_tests_failed" ? "Not saved: the policy’s examples fail" : "The policy was not saved"}>
                <p>
                  {/* The located list below says the same, with where: the detail would only repeat it. */}
                  {refusedIssues.length > 0 ? (
                    refusedIssues.length === 1 ? "Fix this, then save again:" : `Fix these ${refusedIssues.length}, then save again:`
                  ) : (
                    <IssueText text={saveProblem.detail} />
                  )}
                </p>
                {refusedIssues.length > 0 && (
                  <ul className="mt-2 space-y-1" aria-label="Why the save was refused">
                    {refusedIssues.map((issue, index) => (
                      <li key={index}>
                        <button type="button" className="text-left underline decoration-dotted underline-offset-2" onClick={() => showIssue(issue)}>
                          Line {issue.line}, column {issue.column}
                        </button>
                        : <IssueText text={issue.message} />
                      </li>
                    ))}
                  </ul>
                )}
              </Alert>
            )}
          </div>
          <form onSubmit={onSubmit} className="mt-3 flex flex-wrap items-start gap-3 first:mt-0" noValidate>
            <div className="min-w-64 flex-1 space-y-1">
              <label htmlFor="policy-save-message" className="sr-only">
                What this version changes
              </label>
              <input
                id="policy-save-message"
                value={message}
                onChange={(event) => setMessage(event.target.value)}
                maxLength={500}
                placeholder="What does this version change? e.g. Allow reads, cap writes"
                aria-invalid={messageError ? true : undefined}
                aria-describedby={messageError ? "policy-save-message-error" : undefined}
                className={`block h-10 w-full rounded-md border bg-white px-3 text-sm shadow-xs placeholder:text-zinc-400 dark:bg-zinc-900 ${
                  messageError ? "border-red-500" : "border-zinc-300 dark:border-zinc-700"
                }`}
              />
              {messageError && (
                <p id="policy-save-message-error" className="text-sm text-red-600 dark:text-red-400">
                  {messageError}
                  {errorCount > 0 && ` The policy also has ${errorCount === 1 ? "an error" : `${errorCount} errors`} to fix: see Problems.`}
                </p>
              )}
            </div>
            <Button type="submit" loading={save.isPending} disabled={!dirty && active !== null}>
              {active ? `Save as version ${activeVersion + 1}` : "Save version 1"}
            </Button>
          </form>
        </div>
      )}
    </div>
  );
}
