/** Only same-site paths are followed after sign-in, so a crafted link cannot send people elsewhere. */
export function safeCallbackUrl(value: unknown, fallback = "/servers"): string {
  if (typeof value !== "string") return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  if (value.startsWith("/sign-in") || value.startsWith("/sign-up") || value.startsWith("/api/")) return fallback;
  return value;
}
