"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { mergeProposedRule, type ProposalMerge, type RuleProposal } from "@/components/policy/catalog-proposal";
import { checkText, issuesFromServer, mergeIssues, policyToText, STARTER_POLICY, type EditorIssue } from "@/components/policy/policy-text";
import { useDebouncedValue } from "@/components/policy/use-debounced-value";
import { useUnsavedChangesGuard } from "@/components/policy/use-unsaved-changes-guard";
import { ApiProblem } from "@/lib/query-hooks/api-fetch";
import { useSavePolicyVersion, type PolicyState, type SaveResult } from "@/lib/query-hooks/policies";
import { policyKeys } from "@/lib/query-hooks/query-keys";

/** A save refused because another version was saved first: the text that was refused, and why. */
export interface PolicyConflict {
  mine: string;
  detail: string;
}

/**
 * The policy being edited: its text against the version it started from, the live check of that text, and saving it
 * as a new version (with the refusals a save can meet: a conflict with a newer version, or errors at their places).
 * A `proposal` (a rule from the catalog) starts the draft with that rule merged in, unsaved; a rule already there
 * for the tool is left alone and reported in `proposed.merge` instead.
 */
export function usePolicyDraft(serverId: string, state: PolicyState, toolNames: readonly string[], proposal?: RuleProposal | null) {
  const initialText = state.active?.text ?? policyToText(STARTER_POLICY);
  const [proposed] = useState<(RuleProposal & { merge: ProposalMerge }) | null>(() =>
    proposal ? { ...proposal, merge: mergeProposedRule(initialText, proposal.tool, proposal.rule) } : null,
  );
  const [text, setText] = useState(proposed?.merge.kind === "added" ? proposed.merge.text : initialText);
  const [baseText, setBaseText] = useState(initialText);
  const [basedOn, setBasedOn] = useState(state.active?.version ?? 0);
  const [seenActive, setSeenActive] = useState(state.active?.version ?? 0);
  const [message, setMessage] = useState("");
  const [saved, setSaved] = useState<SaveResult | null>(null);
  const [serverIssues, setServerIssues] = useState<{ text: string; issues: EditorIssue[] } | null>(null);
  const [conflict, setConflict] = useState<PolicyConflict | null>(null);
  const save = useSavePolicyVersion(serverId);
  const client = useQueryClient();
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

  const checkedText = useDebouncedValue(text, 250);
  const local = useMemo(() => checkText(checkedText, toolNames), [checkedText, toolNames]);
  const issues = useMemo(
    () => (serverIssues && serverIssues.text === checkedText ? mergeIssues(local.issues, serverIssues.issues) : local.issues),
    [local, serverIssues, checkedText],
  );

  /** The text saved as a new version: the draft's starting point from now on. */
  function savedAs(submitted: string, result: SaveResult) {
    setBaseText(submitted);
    setBasedOn(result.saved.version);
    setSeenActive(result.saved.version);
    setMessage("");
    setSaved(result);
    setConflict(null);
  }

  function edit(next: string) {
    setText(next);
    setSaved(null);
    // A refusal was about the text as it was; the live check takes over from here.
    if (save.isError) save.reset();
  }

  function submit() {
    const submitted = text;
    setSaved(null);
    save.mutate(
      { text: submitted, message, basedOn },
      {
        onSuccess: (result) => {
          savedAs(submitted, result);
          setServerIssues(null);
        },
        onError: (error) => {
          if (!(error instanceof ApiProblem)) return;
          if (error.problem.status === 409) {
            setConflict({ mine: submitted, detail: error.problem.detail });
            void client.invalidateQueries({ queryKey: policyKeys.server(serverId) });
          } else if (error.problem.status === 422) {
            const kind = error.problem.code === "policy_tests_failed" ? "test" : "error";
            setServerIssues({ text: submitted, issues: issuesFromServer(submitted, error.problem.errors ?? [], kind) });
          }
        },
      },
    );
  }

  /** After a conflict: the newest version replaces the draft. */
  function loadNewest() {
    if (!active) return;
    setText(active.text);
    setBaseText(active.text);
    setBasedOn(active.version);
  }

  /** After a conflict: the refused text saved explicitly on top of the newest version, so the refusal does not repeat. */
  function saveMineOnNewest() {
    if (!active || !conflict) return;
    if (text !== conflict.mine) setText(conflict.mine);
    const submitted = conflict.mine;
    save.mutate(
      { text: submitted, message: message.trim() ? message : `Reapply my changes on top of version ${active.version}`, basedOn: active.version },
      {
        onSuccess: (result) => {
          setText(submitted);
          savedAs(submitted, result);
        },
      },
    );
  }

  return {
    text,
    dirty,
    /** The catalog's rule this draft started with, and how it was merged. */
    proposed,
    active,
    activeVersion,
    message,
    setMessage,
    saved,
    conflict,
    save,
    /** The text the issues are about (the check runs 250 ms after typing stops). */
    checkedText,
    local,
    issues,
    checking: checkedText !== text,
    errorCount: issues.filter((i) => i.kind !== "warning").length,
    /** The places a refused save named, while the text is still the one refused. */
    refusedIssues: serverIssues?.text === text ? serverIssues.issues : [],
    edit,
    submit,
    loadNewest,
    restoreMine: () => conflict && setText(conflict.mine),
    saveMineOnNewest,
    dismissConflict: () => setConflict(null),
  };
}

export type PolicyDraft = ReturnType<typeof usePolicyDraft>;
