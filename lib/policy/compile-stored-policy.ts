// A saved policy version is compiled again wherever it is loaded. Versions saved before patterns ran on the
// linear-time engine may hold a pattern it cannot run (a lookahead, a backreference): such a version still applies,
// and each rule with such a pattern refuses its calls (`policy_error`, naming the pattern). Nothing ever falls back to
// a backtracking engine.
import { compilePolicy, type CompileOptions, type CompiledPolicy } from "@/lib/policy/compile";
import { validatePolicy } from "@/lib/policy/schema";
import type { PolicyDocument } from "@/lib/policy/types";

/** The compiled policy of a stored document, or null when it is invalid for any other reason (deny everything). */
export function compileStoredPolicy(document: unknown, options?: CompileOptions): CompiledPolicy | null {
  const valid = validatePolicy(document);
  if (valid.ok) return compilePolicy(valid.document, options);
  if (!valid.errors.every((e) => e.code === "unsupported_pattern")) return null;
  const stored = document as PolicyDocument;
  return compilePolicy(stored.tools === undefined ? { ...stored, tools: {} } : stored, options);
}
