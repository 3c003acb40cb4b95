import type { LocatedIssue } from "@/lib/policy";
import type { FieldError } from "@/lib/http/api-error";

/** A policy issue as the API shows it: its JSON Pointer, and where it is in the text. */
export function toIssueView(issue: LocatedIssue) {
  return { path: issue.path, code: issue.code, message: issue.message, line: issue.range.start.line, column: issue.range.start.column };
}

export function toFieldError(issue: LocatedIssue): FieldError {
  return {
    path: `body.text${issue.path}`,
    message: issue.message,
    line: issue.range.start.line,
    column: issue.range.start.column,
  };
}
