import { formatJsonPath } from "@/lib/json/storable-text";

/** A source that could not be listed, with a sentence saying why (kept in the crawl report). */
export class CrawlError extends Error {
  override readonly name = "CrawlError";
}

// Control characters (ANSI colours included) and runs of spaces out of text a server printed; the report shows it.
export function plainText(text: string, max: number): string {
  const plain = text
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, "")
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .toWellFormed();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}

/**
 * The useful end of what a server wrote to stderr before it failed: its last lines with words in them, without
 * stack frames, Node's version banner, or the brackets closing a JSON dump; or the last error line and the next.
 */
export function stderrSummary(stderr: string, max = 300): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => /[\p{L}\p{N}]/u.test(line) && !/^at\s/.test(line) && !/^Node\.js v\d/.test(line));
  // A usage text printed after the error would bury it: show the last error line and the one after it.
  const error = lines.findLastIndex((line) => /^\W*(error|fatal)\b|\b[A-Za-z]*(Error|Exception):/i.test(line));
  const shown = error >= 0 && error < lines.length - 2 ? lines.slice(error, error + 2) : lines.slice(-2);
  return plainText(shown.join(" | "), max);
}

/**
 * An SDK error's message, short: the client's schema check throws the whole list of issues as JSON, of which the
 * first, at its path, says enough.
 */
export function errorMessage(message: string, max = 300): string {
  try {
    const issues = JSON.parse(message) as { path?: unknown; message?: unknown }[];
    const first = issues[0];
    if (Array.isArray(issues) && first && Array.isArray(first.path) && typeof first.message === "string") {
      const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
      return plainText(`the answer does not follow the MCP schema: ${formatJsonPath(first.path as (string | number)[])}: ${first.message}${more}`, max);
    }
  } catch {
    // not a list of issues
  }
  return plainText(message, max);
}
