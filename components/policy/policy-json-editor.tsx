"use client";

import { json } from "@codemirror/lang-json";
import { lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { Annotation, Compartment, EditorSelection } from "@codemirror/state";
import { oneDark } from "@codemirror/theme-one-dark";
import { EditorView, basicSetup } from "codemirror";
import { useEffect, useRef, type RefObject } from "react";
import type { EditorIssue } from "@/components/policy/policy-text";
import { documentNonce } from "@/lib/http/document-nonce";

export interface JsonEditorHandle {
  /** Puts the cursor at `offset`, scrolls it into view and focuses the editor. */
  goTo(offset: number): void;
}

/** Marks changes made from outside (the builder, loading a version), which must not be reported back as typing. */
const external = Annotation.define<boolean>();

const lightTheme = EditorView.theme({
  "&": { backgroundColor: "#ffffff", color: "#18181b", height: "100%", fontSize: "13px" },
  ".cm-gutters": { backgroundColor: "#fafafa", color: "#a1a1aa", borderRight: "1px solid #e4e4e7" },
  ".cm-activeLineGutter": { backgroundColor: "#f4f4f5" },
  ".cm-activeLine": { backgroundColor: "#f8f8fa" },
});

const darkTheme = [oneDark, EditorView.theme({ "&": { height: "100%", fontSize: "13px" } }, { dark: true })];

const layout = EditorView.theme({
  "&.cm-focused": { outline: "none" },
  ".cm-scroller": { fontFamily: "var(--font-mono)", lineHeight: "1.6", overflow: "auto" },
  ".cm-content": { paddingBlock: "8px" },
  ".cm-tooltip-lint": { maxWidth: "36rem" },
});

function toDiagnostics(issues: readonly EditorIssue[], length: number): Diagnostic[] {
  return issues.map((issue) => {
    const from = Math.min(Math.max(issue.from, 0), length);
    const to = Math.min(Math.max(issue.to, from), length);
    return {
      from,
      to,
      severity: issue.kind === "warning" ? "warning" : "error",
      message: issue.kind === "test" ? `Example fails: ${issue.message}` : issue.message,
      source: issue.path || undefined,
    };
  });
}

/**
 * The policy as JSON in a CodeMirror 6 editor: line numbers, a lint gutter, and the issues found for the text
 * underlined where they are. Controlled: `value` is the text, `onChange` reports typing. `issues` are applied only
 * when they were found for the text the editor holds (`issuesText`), so marks never land on the wrong characters.
 */
export function PolicyJsonEditor({
  value,
  onChange,
  issues,
  issuesText,
  dark,
  label,
  describedBy,
  handleRef,
}: {
  value: string;
  onChange: (text: string) => void;
  issues: readonly EditorIssue[];
  issuesText: string;
  dark: boolean;
  label: string;
  describedBy?: string;
  handleRef: RefObject<JsonEditorHandle | null>;
}) {
  const container = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const theme = useRef(new Compartment());
  const latest = useRef({ value, onChange, dark, label, describedBy });
  useEffect(() => {
    latest.current = { value, onChange, dark, label, describedBy };
  });

  useEffect(() => {
    const parent = container.current;
    if (!parent) return;
    const initial = latest.current;
    const attributes: Record<string, string> = { "aria-label": initial.label };
    if (initial.describedBy) attributes["aria-describedby"] = initial.describedBy;
    const editor = new EditorView({
      parent,
      doc: initial.value,
      extensions: [
        basicSetup,
        json(),
        lintGutter(),
        layout,
        theme.current.of(initial.dark ? darkTheme : lightTheme),
        EditorView.contentAttributes.of(attributes),
        // CodeMirror adds its styles in a <style> element, which the page's Content-Security-Policy admits by nonce.
        EditorView.cspNonce.of(documentNonce() ?? ""),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged || update.transactions.some((tr) => tr.annotation(external))) return;
          latest.current.onChange(update.state.doc.toString());
        }),
      ],
    });
    view.current = editor;
    handleRef.current = {
      goTo(offset) {
        const position = Math.min(Math.max(offset, 0), editor.state.doc.length);
        editor.dispatch({ selection: EditorSelection.cursor(position), effects: EditorView.scrollIntoView(position, { y: "center" }) });
        editor.focus();
      },
    };
    return () => {
      editor.destroy();
      view.current = null;
      handleRef.current = null;
    };
  }, [handleRef]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    if (current === value) return;
    // Keep the cursor where it was, as far as the new text allows.
    const head = Math.min(editor.state.selection.main.head, value.length);
    editor.dispatch({ changes: { from: 0, to: current.length, insert: value }, selection: EditorSelection.cursor(head), annotations: external.of(true) });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: theme.current.reconfigure(dark ? darkTheme : lightTheme) });
  }, [dark]);

  useEffect(() => {
    const editor = view.current;
    if (!editor || editor.state.doc.toString() !== issuesText) return;
    editor.dispatch(setDiagnostics(editor.state, toDiagnostics(issues, editor.state.doc.length)));
  }, [issues, issuesText, value]);

  return (
    <div
      ref={container}
      data-testid="policy-json-editor"
      className="h-[34rem] resize-y overflow-hidden rounded-md border border-zinc-300 focus-within:ring-2 focus-within:ring-indigo-500 dark:border-zinc-700"
    />
  );
}
