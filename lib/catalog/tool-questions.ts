// Questions and answers on a catalog tool's page, each built from what the catalog holds about this tool (its
// classification, the server's own annotations, its input schema, the package's declared environment), and asked
// only when the data answers it. Nothing here is generic advice dressed up as a fact about the tool: a question whose
// answer the data does not give is left out.
import { isPlainObject } from "@/lib/json/is-plain-object";
import { RISK_CATEGORY_DESCRIPTIONS, RISK_LEVEL_LABELS } from "@/lib/risk/labels";
import type { RiskCategory, RiskLevel } from "@/lib/risk/types";

export interface ToolQuestion {
  question: string;
  answer: string;
}

export interface ToolFacts {
  name: string;
  level: RiskLevel;
  category: RiskCategory;
  annotations: Record<string, unknown> | null;
  inputSchema: Record<string, unknown>;
  argumentNames: readonly string[];
  recommendation: { rule: Record<string, unknown> };
  server: { title: string | null; name: string; packages: unknown; remotes: unknown };
}

const list = (items: readonly string[]) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

/** The environment variables a server's packages declare, as the registry entry states them. */
function declaredEnvironment(packages: unknown): { name: string; secret: boolean; required: boolean }[] | null {
  if (!Array.isArray(packages) || packages.length === 0) return null;
  const seen = new Map<string, { name: string; secret: boolean; required: boolean }>();
  for (const pkg of packages) {
    if (!isPlainObject(pkg) || !Array.isArray(pkg.environmentVariables)) continue;
    for (const variable of pkg.environmentVariables) {
      if (!isPlainObject(variable) || typeof variable.name !== "string" || !variable.name) continue;
      seen.set(variable.name, { name: variable.name, secret: variable.isSecret === true, required: variable.isRequired === true });
    }
  }
  return [...seen.values()];
}

export function toolQuestions(tool: ToolFacts): ToolQuestion[] {
  const questions: ToolQuestion[] = [];
  const serverLabel = tool.server.title ?? tool.server.name;
  const hints = tool.annotations ?? {};
  const readOnlyHint = typeof hints.readOnlyHint === "boolean" ? hints.readOnlyHint : null;
  const destructiveHint = typeof hints.destructiveHint === "boolean" ? hints.destructiveHint : null;

  // What it can change: the classifier's category, with what the server itself declares beside it.
  const declared: string[] = [];
  if (readOnlyHint !== null) declared.push(readOnlyHint ? "marks it read-only" : "marks it as one that changes things");
  if (destructiveHint !== null && readOnlyHint !== true) declared.push(destructiveHint ? "marks it destructive" : "marks it as not destructive");
  const serverSays = declared.length ? ` The server ${list(declared)}.` : " The server declares nothing about it (no read-only or destructive mark).";
  questions.push({
    question: `Can ${tool.name} change or delete anything?`,
    answer:
      tool.category === "read"
        ? `Not by its own account: its name and description describe a read. ${RISK_LEVEL_LABELS[tool.level]} risk.${serverSays}`
        : `Yes. ${RISK_CATEGORY_DESCRIPTIONS[tool.category]} ${RISK_LEVEL_LABELS[tool.level]} risk.${serverSays}`,
  });

  // What an agent passes: the input schema's arguments, the required ones named.
  const required = Array.isArray(tool.inputSchema.required) ? tool.inputSchema.required.filter((r): r is string => typeof r === "string") : [];
  const requiredShown = required.filter((r) => tool.argumentNames.includes(r));
  questions.push({
    question: `What does an agent pass to ${tool.name}?`,
    answer:
      tool.argumentNames.length === 0
        ? "Nothing: its input schema declares no arguments."
        : `${tool.argumentNames.length === 1 ? "One argument" : `${tool.argumentNames.length} arguments`}: ${list(tool.argumentNames.map((a) => `\`${a}\``))}` +
          (requiredShown.length ? ` (${requiredShown.length === tool.argumentNames.length ? "all required" : `required: ${list(requiredShown.map((a) => `\`${a}\``))}`}).` : ", none of them required.") +
          " A policy can limit each one's values (argument constraints) so a call outside them is refused before it reaches the server.",
  });

  // Whether the recommended rule lets it through as it stands.
  const rule = tool.recommendation.rule;
  const action = typeof rule.action === "string" ? rule.action : "allow";
  const limits = Array.isArray(rule.limits) ? rule.limits.length : 0;
  const ruleSays =
    action === "deny"
      ? "refuses every call to it"
      : action === "require_approval"
        ? "holds each call until a person approves it"
        : limits > 0
          ? `allows it with ${limits === 1 ? "a rate limit" : `${limits} rate limits`}`
          : "allows it, and every call is recorded";
  questions.push({
    question: `Will Portcullis let an agent call ${tool.name}?`,
    answer: `Only as the server's policy says. The rule recommended here, for a ${RISK_LEVEL_LABELS[tool.level].toLowerCase()}-risk tool, ${ruleSays}; a policy without a rule for it applies its own default (deny or allow, as written), and a server with no policy saved yet has every tool denied.`,
  });

  // What the server needs to start: only when its package declares its environment.
  const environment = declaredEnvironment(tool.server.packages);
  if (environment !== null) {
    const secrets = environment.filter((v) => v.secret).map((v) => `\`${v.name}\``);
    const others = environment.filter((v) => !v.secret).map((v) => `\`${v.name}\``);
    questions.push({
      question: `Does ${serverLabel} need credentials?`,
      answer:
        environment.length === 0
          ? "Its package declares no environment variables, so it starts without credentials of its own."
          : secrets.length > 0
            ? `Yes: its package declares ${list(secrets)} as secret${others.length ? `, and also ${list(others)}` : ""}. They stay on the machine that runs it; Portcullis stores only the credentials you give it for the HTTP connection, encrypted.`
            : `Its package declares ${list(others)}, none of them secret.`,
    });
  }
  return questions;
}
