/**
 * `text` with each `{NAME}` of `values` replaced (sources write `{SANDBOX}` for the server's temporary folder).
 * Other braces are left as they are: a placeholder value may itself hold them.
 */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{([A-Z][A-Z0-9_]*)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : whole));
}
