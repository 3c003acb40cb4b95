"use client";

import type { RefObject } from "react";
import { PolicyJsonEditor, type JsonEditorHandle } from "@/components/policy/policy-json-editor";
import { PolicyProblems } from "@/components/policy/policy-problems";
import type { EditorIssue } from "@/components/policy/policy-text";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";

/** The JSON tab: the document as text, checked as it is typed, with its problems listed below. */
export function PolicyJsonView({
  text,
  formattable,
  issues,
  issuesText,
  checking,
  examples,
  dark,
  editor,
  onChange,
  onShowIssue,
}: {
  text: string;
  /** The text parses without duplicate keys, so formatting it keeps its meaning. */
  formattable: boolean;
  issues: EditorIssue[];
  /** The text the issues were found in. */
  issuesText: string;
  checking: boolean;
  /** How many of the policy's examples ran. */
  examples: number;
  dark: boolean;
  editor: RefObject<JsonEditorHandle | null>;
  onChange: (text: string) => void;
  onShowIssue: (issue: EditorIssue) => void;
}) {
  return (
    <>
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
            onClick={() => onChange(`${JSON.stringify(JSON.parse(text), null, 2)}\n`)}
          >
            Format
          </Button>
          <CopyButton value={text} label="Copy JSON" />
        </div>
      </div>
      <PolicyJsonEditor
        value={text}
        onChange={onChange}
        issues={issues}
        issuesText={issuesText}
        dark={dark}
        label="Policy JSON"
        describedBy="policy-json-help"
        handleRef={editor}
      />
      <PolicyProblems id="policy-problems" issues={issues} checking={checking} examples={examples} onSelect={onShowIssue} />
    </>
  );
}
