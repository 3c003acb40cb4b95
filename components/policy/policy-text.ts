// The policy editor works on one string, the JSON text: the JSON view edits it directly, the builder parses it and
// writes it back pretty-printed. These helpers turn text into what each view needs, and issues into editor marks.
import {
  checkPolicyText,
  parseJsonWithSourceMap,
  parsePointer,
  validatePolicy,
  type PolicyCheck,
  type PolicyDocument,
  type PolicyIssue,
} from "@/lib/policy";

/** What a server without a saved policy starts from: every tool denied until a rule allows it. */
export const STARTER_POLICY: PolicyDocument = { version: "1", default: "deny", tools: {} };

export function policyToText(doc: PolicyDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Errors the builder's own controls can cause (two rules giving one counter different windows, a counter named
 * twice in a rule, a test's usage naming a removed counter, a pattern that is not a valid regular expression).
 * The builder must keep working on a document that has them, since it shows them on the field at fault.
 */
function builderCanShow(issue: PolicyIssue): boolean {
  if (issue.code === "counter_conflict" || issue.code === "duplicate_counter" || issue.code === "unknown_counter") return true;
  const segments = parsePointer(issue.path);
  return issue.code === "invalid_value" && segments[0] === "tools" && segments[2] === "args" && segments.at(-1) === "pattern";
}

export type BuilderParse = { ok: true; document: PolicyDocument } | { ok: false; errorCount: number };

/** The document the builder edits, or how many errors keep it from opening the text. */
export function parseForBuilder(text: string): BuilderParse {
  const parsed = parseJsonWithSourceMap(text);
  if (!parsed.ok) return { ok: false, errorCount: 1 };
  if (parsed.duplicateKeys.length > 0) return { ok: false, errorCount: parsed.duplicateKeys.length };
  const validation = validatePolicy(parsed.value);
  if (validation.ok) return { ok: true, document: parsed.value as unknown as PolicyDocument };
  const blocking = validation.errors.filter((e) => !builderCanShow(e));
  if (blocking.length > 0) return { ok: false, errorCount: blocking.length };
  return { ok: true, document: parsed.value as unknown as PolicyDocument };
}

export type IssueKind = "error" | "test" | "warning";

/** An error, failing example or warning, placed in the text (offsets) and named for people (line, column). */
export interface EditorIssue {
  kind: IssueKind;
  path: string;
  message: string;
  line: number;
  column: number;
  from: number;
  to: number;
}

export function issuesFromCheck(check: PolicyCheck): EditorIssue[] {
  const place = (kind: IssueKind) => (issue: PolicyCheck["errors"][number]): EditorIssue => ({
    kind,
    path: issue.path,
    message: issue.message,
    line: issue.range.start.line,
    column: issue.range.start.column,
    from: issue.range.start.offset,
    to: issue.range.end.offset,
  });
  return [...check.errors.map(place("error")), ...check.testFailures.map(place("test")), ...check.warnings.map(place("warning"))];
}

/** The offset of a 1-based line and column (UTF-16 units) in `text`, clamped to the text. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf("\n", offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  const lineEnd = text.indexOf("\n", offset);
  const end = lineEnd === -1 ? text.length : lineEnd;
  return Math.min(offset + Math.max(column - 1, 0), end);
}

export interface ServerFieldError {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** The errors of a refused save that are about the policy text (`body.text/<pointer>`), placed in that text. */
export function issuesFromServer(text: string, errors: readonly ServerFieldError[], kind: IssueKind): EditorIssue[] {
  return errors
    .filter((e) => e.path === "body.text" || e.path.startsWith("body.text/"))
    .map((e) => {
      const line = e.line ?? 1;
      const column = e.column ?? 1;
      const from = offsetOf(text, line, column);
      const lineEnd = text.indexOf("\n", from);
      return { kind, path: e.path.slice("body.text".length), message: e.message, line, column, from, to: lineEnd === -1 ? text.length : lineEnd };
    });
}

/** Issues at `pointer` or inside it. */
export function issuesUnder(issues: readonly EditorIssue[], pointer: string): EditorIssue[] {
  return issues.filter((i) => i.path === pointer || i.path.startsWith(`${pointer}/`));
}

/** Every issue the editor shows for a text: the check run in the browser, without repeating those the server sent. */
export function mergeIssues(local: readonly EditorIssue[], server: readonly EditorIssue[]): EditorIssue[] {
  const seen = new Set(local.map((i) => `${i.path}\u0000${i.message}`));
  return [...local, ...server.filter((i) => !seen.has(`${i.path}\u0000${i.message}`))];
}

export function checkText(text: string, toolNames: readonly string[]): { check: PolicyCheck; issues: EditorIssue[] } {
  const check = checkPolicyText(text, { toolNames });
  return { check, issues: issuesFromCheck(check) };
}
