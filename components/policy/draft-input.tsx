"use client";

import { useId, useState, type InputHTMLAttributes } from "react";
import { IssueText } from "@/components/policy/issue-text";

export interface DraftInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "defaultValue"> {
  /** What the document holds now, written as text. */
  value: string;
  /** Applies the text to the document; returns a sentence when the text cannot be applied as it is. */
  onCommit: (text: string) => string | null;
  label: string;
  /** Read by screen readers after the label, e.g. " of limit 2", when the layout already shows what it belongs to. */
  labelSuffix?: string;
  hideLabel?: boolean;
  /** An error about this field found by the policy check (it is in the document). */
  issue?: string;
  hint?: string;
  /** Extra classes for the input itself (className styles the wrapper). */
  inputClassName?: string;
}

/**
 * An input that edits one field of the policy document as you type. While it has focus it keeps what you typed
 * (the document may hold a tidier form, or the last value that made sense); it shows the document's value again
 * when you leave it, unless what you typed could not be applied, which stays with the reason.
 */
export function DraftInput({ value, onCommit, label, labelSuffix, hideLabel = false, issue, hint, className = "", inputClassName = "", id, ...props }: DraftInputProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const [draft, setDraft] = useState(value);
  const [seen, setSeen] = useState(value);
  const [focused, setFocused] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (value !== seen) {
    setSeen(value);
    if (!focused) {
      setDraft(value);
      setError(null);
    }
  }
  const message = error ?? issue;
  const messageId = `${inputId}-message`;
  const hintId = `${inputId}-hint`;
  return (
    <div className={`space-y-1 ${className}`}>
      <label htmlFor={inputId} className={hideLabel ? "sr-only" : "block text-xs font-medium text-zinc-700 dark:text-zinc-300"}>
        {label}
        {labelSuffix && <span className="sr-only">{labelSuffix}</span>}
      </label>
      <input
        {...props}
        id={inputId}
        value={draft}
        aria-invalid={message ? true : undefined}
        aria-describedby={[message ? messageId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined}
        onFocus={() => setFocused(true)}
        onBlur={() => {
          setFocused(false);
          if (!error) setDraft(value);
        }}
        onChange={(event) => {
          setDraft(event.target.value);
          setError(onCommit(event.target.value));
        }}
        className={`block h-9 w-full rounded-md border bg-white px-2.5 text-sm shadow-xs placeholder:text-zinc-400 dark:bg-zinc-900 ${inputClassName} ${
          message ? "border-red-500 dark:border-red-500" : "border-zinc-300 dark:border-zinc-700"
        }`}
      />
      {hint && !message && (
        <p id={hintId} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      )}
      {message && (
        <p id={messageId} className="text-xs text-red-600 dark:text-red-400">
          {error ? `${error} Not applied yet.` : <IssueText text={message} />}
        </p>
      )}
    </div>
  );
}
