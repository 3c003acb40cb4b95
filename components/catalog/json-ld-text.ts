/**
 * JSON for a <script type="application/ld+json"> block. `<`, `>` and `&` are written as \u escapes (still the same
 * JSON), so no text from the catalog, such as a description holding "</script>" or "<!--", can end the block or
 * change how the page around it is parsed. U+2028 and U+2029 are escaped for scripts that read the block as code.
 */
export function jsonLdText(data: unknown): string {
  return JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
