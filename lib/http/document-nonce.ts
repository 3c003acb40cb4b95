/**
 * In the browser: the nonce of the page's Content-Security-Policy, read from a script Next.js rendered with it
 * (browsers hide the attribute but keep the `nonce` property). Client code that injects <style> elements needs it
 * (next-themes, CodeMirror). Read from the document rather than passed as a prop, because a refreshed server
 * render carries a new nonce that the loaded page's policy does not know.
 */
export function documentNonce(): string | undefined {
  if (typeof document === "undefined") return undefined;
  return document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce || undefined;
}
