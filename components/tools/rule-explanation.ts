// One sentence saying what a recommended rule does to calls, read from the rule itself so it cannot disagree
// with the JSON shown next to it.

const WINDOWS: Record<string, string> = { second: "second", minute: "minute", hour: "hour", day: "day" };

/** `level` is the tool's risk level, when known: an open rule is only called low-risk for a low-risk tool. */
export function explainRule(rule: Record<string, unknown>, policyDefault: unknown, level?: string): string {
  const action = rule.action;
  const limits = Array.isArray(rule.limits) ? rule.limits.filter((l): l is Record<string, unknown> => typeof l === "object" && l !== null) : [];
  let sentence: string;
  if (action === "deny") {
    sentence = "Agents cannot call this tool at all: it is hidden from them, and a call to it is answered as an unknown tool.";
  } else if (action === "require_approval") {
    sentence = "Every call waits until a person approves it under Approvals; nothing reaches the server before that.";
  } else if (limits.length > 0) {
    const parts = limits.map((limit) => {
      const max = typeof limit.max === "number" ? limit.max : "a few";
      const window = WINDOWS[String(limit.window)] ?? String(limit.window);
      const who = limit.scope === "server" ? "all keys together" : "each key";
      return `${who} may call it at most ${max} times a ${window}`;
    });
    sentence = `The tool stays usable, but rate-capped: ${parts.join(", and ")}, so a runaway agent cannot fire it again and again.`;
  } else if (level === undefined || level === "low") {
    sentence = "Agents may call it freely: its risk is low enough to leave open.";
  } else {
    sentence = `Agents may call it freely. Its risk is ${level}, not high enough for a limit or an approval by default: read the reasons for it, and add a limit or an argument constraint if they matter to you.`;
  }
  if (policyDefault === "deny") sentence += " Every other tool on the server stays denied until your policy allows it.";
  return sentence;
}
