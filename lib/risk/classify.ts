import { findArguments, type ArgumentFinding } from "@/lib/risk/arguments";
import { factsAbout } from "@/lib/risk/lexicon";
import { findObjects, type Objects } from "@/lib/risk/objects";
import { prepareServerContext, type PreparedServerContext } from "@/lib/risk/server-context";
import {
  ARGUMENT_GLOSS,
  AUXILIARY_VERBS,
  COMPOSING_VERBS,
  EFFECT_GLOSS,
  EFFECT_SEVERITY,
  ENUMERATING_VERBS,
  HTTP_METHOD_VERBS,
  IRREVERSIBLE_PHRASES,
  NAME_PHRASES,
  READ_ONLY_PHRASES,
  SHELL_PHRASES,
  VERB_JOINERS,
  VERBS,
  type ArgumentRole,
  type Effect,
  type VerbSignal,
} from "@/lib/risk/signals";
import { hasPhrase, tokenizeName, tokenizeText } from "@/lib/risk/tokenize";
import type { McpToolDefinition, RiskCategory, RiskClassification, RiskLevel, ServerContext } from "@/lib/risk/types";
import { isPlainObject } from "@/lib/json/is-plain-object";

// Combines the vocabulary in signals.ts into a category, a level and the reasons for both. Pure and deterministic:
// the same definition and context always give the same answer, so a stored classification can be recomputed.

/** How far into a description its verb is looked for: past "Use this tool to", not into the details. */
const DESCRIPTION_VERB_WINDOW = 12;
const STRONG_ACCESS_VERBS: ReadonlySet<string> = new Set(["grant", "revoke", "impersonate", "assume", "elevate"]);
const LEVEL_RANK: Readonly<Record<RiskLevel, number>> = { low: 0, medium: 1, high: 2, critical: 3 };
const PHRASE_WORDS: ReadonlySet<string> = new Set(Object.keys(NAME_PHRASES).flatMap((phrase) => phrase.split(" ")));

function atLeast(level: RiskLevel, floor: RiskLevel): RiskLevel {
  return LEVEL_RANK[level] >= LEVEL_RANK[floor] ? level : floor;
}

/** Ordered as the steps found them (what it does, to what, what raised the level), without repeats. */
class Reasons {
  readonly list: string[] = [];
  add(reason: string | undefined): void {
    if (reason && !this.list.includes(reason)) this.list.push(reason);
  }
}

/** One tool's words, arguments and context, read once and shared by every step. */
class Evidence {
  readonly name: string;
  readonly words: readonly string[];
  readonly prose: readonly string[];
  readonly args: readonly ArgumentFinding[];
  readonly reasons = new Reasons();

  constructor(
    tool: McpToolDefinition,
    readonly context: PreparedServerContext,
  ) {
    const annotations: unknown = tool.annotations;
    const title = isPlainObject(annotations) ? annotations.title : undefined;
    let text = typeof tool.title === "string" ? tool.title : "";
    if (typeof title === "string") text += `. ${title}`;
    if (typeof tool.description === "string") text += `. ${tool.description}`;
    this.name = typeof tool.name === "string" ? tool.name : "";
    this.words = tokenizeName(this.name);
    this.prose = tokenizeText(text);
    this.args = findArguments(tool.inputSchema);
  }

  argument(role: ArgumentRole): ArgumentFinding | undefined {
    return this.args.find((arg) => arg.role === role);
  }

  /** The first of these phrases the description contains. */
  says(phrases: readonly (readonly string[])[]): readonly string[] | undefined {
    return phrases.find((phrase) => hasPhrase(this.prose, phrase));
  }
}

interface NameVerb {
  word: string;
  index: number;
  signal: VerbSignal;
}

/** The verb a name's word stands for, if any: phrases and HTTP-method prefixes first, then the verb table. */
function nameVerbAt(words: readonly string[], index: number): VerbSignal | undefined {
  const word = words[index] ?? "";
  const previous = words[index - 1];
  const following = words[index + 1];
  if (PHRASE_WORDS.has(word)) {
    if (previous !== undefined && NAME_PHRASES[`${previous} ${word}`]) return NAME_PHRASES[`${previous} ${word}`];
    if (following !== undefined && NAME_PHRASES[`${word} ${following}`]) return undefined;
  }
  const method = HTTP_METHOD_VERBS[word];
  if (previous === "api" && method !== undefined) {
    // `API-post-search` searches; `API-post-page` creates a page.
    if (following !== undefined && factsAbout(following).verb) return undefined;
    return VERBS[method];
  }
  return factsAbout(word).verb;
}

/**
 * The name's verb: the first one, with any chained by and/or (`create_or_update`). Only exact forms count, since a
 * plural in a name is a noun (`pods_list` lists pods). `start_search` searches: an auxiliary yields to the next verb.
 */
function findNameVerbs(words: readonly string[]): NameVerb[] {
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? "";
    const signal = nameVerbAt(words, index);
    if (!signal) continue;
    if (AUXILIARY_VERBS.has(word) && index + 1 < words.length && nameVerbAt(words, index + 1)) continue;
    const chain: NameVerb[] = [{ word, index, signal }];
    for (let joint = index + 1; VERB_JOINERS.has(words[joint] ?? ""); joint += 2) {
      const chained = nameVerbAt(words, joint + 1);
      if (!chained) break;
      chain.push({ word: words[joint + 1] ?? "", index: joint + 1, signal: chained });
    }
    return chain;
  }
  return [];
}

/** A verb's effect on these objects: `transfer` moves money only when there is money to move. */
function resolveEffect(signal: VerbSignal, objects: Objects): Effect {
  const present =
    signal.onlyWith === "money"
      ? objects.money !== undefined
      : signal.onlyWith === "access"
        ? objects.access !== undefined
        : signal.onlyWith === "heavy"
          ? objects.heavy !== undefined || objects.bulk !== undefined
          : true;
  return present ? signal.effect : (signal.otherwise ?? "write");
}

function verbGloss(signal: VerbSignal, effect: Effect): string {
  return effect === signal.effect ? (signal.gloss ?? EFFECT_GLOSS[effect]) : EFFECT_GLOSS[effect];
}

interface Action {
  effect: Effect;
  signal?: VerbSignal;
  /** The verb's base form, when the action came from a verb. */
  verb?: string;
  /** Where in the name the verb was, to look for its object after it. */
  index?: number;
  /** The tool runs SQL it is given and says it only reads. */
  readOnlySql?: boolean;
  /** The tool runs SQL it is given. */
  runsSql?: boolean;
}

/** Steps 1-4: what the tool does, from its name's verb, its description's, a telling noun, or its arguments. */
function findAction(evidence: Evidence, objects: Objects, nameVerbs: readonly NameVerb[]): Action | undefined {
  const { words, prose, reasons, context } = evidence;
  const argument = (role: ArgumentRole) => evidence.argument(role);
  let action: Action | undefined;

  // 1. The name's verb; a vague one (`manage`) yields to the description's.
  const resolved = nameVerbs.map((verb) => ({ ...verb, effect: resolveEffect(verb.signal, objects) }));
  const strongest = resolved.reduce<(typeof resolved)[number] | undefined>(
    (best, verb) => (!best || EFFECT_SEVERITY[verb.effect] > EFFECT_SEVERITY[best.effect] ? verb : best),
    undefined,
  );
  if (strongest) {
    const where = strongest.index === 0 ? "starts with" : "contains";
    reasons.add(`the name ${where} ${strongest.word}: ${verbGloss(strongest.signal, strongest.effect)}`);
    action = { effect: strongest.effect, signal: strongest.signal, verb: strongest.word, index: strongest.index };
  }
  if (!strongest || strongest.signal.vague) {
    for (let index = 0; index < Math.min(prose.length, DESCRIPTION_VERB_WINDOW); index++) {
      const word = prose[index] ?? "";
      const found = factsAbout(word).descriptionVerb;
      if (!found || found.entry.vague) continue;
      const effect = resolveEffect(found.entry, objects);
      reasons.add(`the description ${index === 0 ? "starts with" : "says"} "${word}": ${verbGloss(found.entry, effect)}`);
      action = { effect, signal: found.entry, verb: found.form };
      break;
    }
  }
  if (!action) {
    const noun = words.find((word) => factsAbout(word).nounAction);
    const found = noun === undefined ? undefined : factsAbout(noun).nounAction;
    if (found) {
      reasons.add(`the name mentions ${noun}: ${found.entry.gloss}`);
      action = { effect: found.entry.effect };
    }
  }

  // A one-word name (`add`, `calculator`) says nothing of its object; a description about numbers says it only
  // computes, unless an argument takes code or a command.
  const runsGivenCode = (["shell", "script", "code"] as const).some((role) => argument(role));
  if ((action?.effect === "write" || action?.effect === "execute") && words.length === 1 && !runsGivenCode) {
    const computes = prose.slice(0, DESCRIPTION_VERB_WINDOW).find((word) => factsAbout(word).compute);
    if (computes) {
      reasons.add(`the description mentions ${computes}: it only computes a result`);
      action = { effect: "read", verb: action.verb };
    }
  }
  // Creating a pipeline or a build starts it.
  const runnable = words.find((word, index) => index > (action?.index ?? 0) && factsAbout(word).runnable);
  if (action?.effect === "write" && action.verb !== undefined && COMPOSING_VERBS.has(action.verb) && runnable) {
    reasons.add(`the name mentions ${runnable}: creating one starts it running`);
    action = { ...action, effect: "execute" };
  }

  // 2. Arguments that run things outweigh a generic verb (`start_process(command)`), never a read verb.
  const shellArgument = argument("shell") ?? argument("script");
  const codeArgument = argument("code");
  if (shellArgument && (!action || action.signal?.vague || action.effect === "write")) {
    reasons.add(`argument \`${shellArgument.name}\` ${ARGUMENT_GLOSS[shellArgument.role]}`);
    action = { ...action, effect: "execute" };
  } else if (codeArgument && (!action || action.signal?.vague)) {
    reasons.add(`argument \`${codeArgument.name}\` ${ARGUMENT_GLOSS.code}`);
    action = { ...action, effect: "execute" };
  }

  // 3. SQL: a tool that runs the statements it is given is Execute, unless it only accepts reads.
  const sqlWord = words.find((word) => factsAbout(word).sql) ?? prose.find((word) => factsAbout(word).sql);
  const databaseServer = context.domains.get("database");
  const sqlArgument = argument("sql") ?? (sqlWord || databaseServer ? argument("query") : undefined);
  const runsStatements =
    sqlArgument !== undefined &&
    (words.some((word) => factsAbout(word).statement) ||
      !action ||
      action.signal?.vague === true ||
      action.effect === "execute" ||
      action.effect === "read" ||
      action.verb === "select");
  if (runsStatements) {
    reasons.add(`argument \`${sqlArgument.name}\` ${ARGUMENT_GLOSS.sql}`);
    if (!sqlWord && databaseServer) reasons.add(`the server runs a database (${databaseServer})`);
    const claimsReadOnly = evidence.says(READ_ONLY_PHRASES) !== undefined;
    // `read_query` and `select_rows` say they read; `query` alone says nothing either way.
    const readVerb = (action?.effect === "read" && action.verb !== "query") || action?.verb === "select";
    if (claimsReadOnly || readVerb) {
      if (claimsReadOnly) reasons.add("the description says it only runs read-only SQL");
      return { ...action, effect: "read", runsSql: true, readOnlySql: true };
    }
    reasons.add("nothing limits the SQL to reading: it can change or delete data");
    return { ...action, effect: "execute", runsSql: true };
  }

  // 4. Nothing in the name: what the description is about ("a chain of thoughts").
  if (!action) {
    const noun = prose.find((word) => factsAbout(word).nounAction);
    const found = noun === undefined ? undefined : factsAbout(noun).nounAction;
    if (found) {
      reasons.add(`the description mentions ${noun}: ${found.entry.gloss}`);
      action = { effect: found.entry.effect };
    }
  }
  return action;
}

/** Step 5: the object refines the effect. Creating a refund is financial; deleting a role is access control. */
function categorize(action: Action, objects: Objects): RiskCategory {
  const { effect } = action;
  if (effect === "write" || (effect === "read" && action.signal?.mints)) {
    if (objects.money) return "financial";
    if (objects.access) return "access_control";
    const composing = action.verb !== undefined && COMPOSING_VERBS.has(action.verb);
    if (objects.communication && composing && !objects.unsent) return "communication";
    return effect;
  }
  if (effect === "destructive") {
    if (objects.light) return "write";
    if (objects.access) return "access_control";
    if (objects.money?.moves) return "financial";
    return effect;
  }
  if (effect === "execute" && objects.money?.moves) return "financial";
  if (effect === "communication" && objects.money) return "financial";
  return effect;
}

function contextReason(domain: "payments" | "permissions", evidence: string): string {
  return `the server ${domain === "payments" ? "handles payments" : "manages permissions"} (${evidence})`;
}

/** Step 6: the level, from the category's baseline and what makes it worse (or, for small writes, milder). */
function levelFor(category: RiskCategory, action: Action, objects: Objects, evidence: Evidence): { category: RiskCategory; level: RiskLevel } {
  const { words, prose, reasons, context } = evidence;
  const argument = (role: ArgumentRole) => evidence.argument(role);
  const raisedBy: string[] = [];
  let level: RiskLevel;
  switch (category) {
    case "read": {
      level = action.readOnlySql ? "medium" : "low";
      const url = argument("url");
      if (url) {
        level = "medium";
        raisedBy.push(`argument \`${url.name}\` ${ARGUMENT_GLOSS.url}`);
      }
      if (objects.sensitive) {
        const reveals = objects.sensitive.strong && !(action.verb !== undefined && ENUMERATING_VERBS.has(action.verb));
        level = atLeast(level, reveals ? "high" : "medium");
        raisedBy.push(
          reveals
            ? `the name mentions ${objects.sensitive.word}: reading it exposes a credential`
            : `the name mentions ${objects.sensitive.word}: it can expose secrets`,
        );
      }
      break;
    }
    case "write": {
      if (objects.infra) raisedBy.push(`the name mentions ${objects.infra}: it changes running infrastructure`);
      if (objects.bulk) raisedBy.push(`the name says ${objects.bulk}: it acts on many items at once`);
      if (objects.sensitive?.strong) raisedBy.push(`the name mentions ${objects.sensitive.word}: it handles credentials`);
      for (const domain of ["payments", "permissions"] as const) {
        const found = context.domains.get(domain);
        if (found) raisedBy.push(contextReason(domain, found));
      }
      if (action.signal?.live || raisedBy.length > 0) level = "high";
      else if (action.signal?.light || objects.light) {
        level = "low";
        if (objects.light) reasons.add(`the name mentions ${objects.light}: a small, reversible change`);
      } else if (objects.session && (action.signal?.session || action.signal?.vague)) {
        level = "low";
        reasons.add(`the name mentions ${objects.session}: it only affects the client's own session`);
      } else level = "medium";
      const path = argument("path");
      if (path) reasons.add(`argument \`${path.name}\` ${ARGUMENT_GLOSS.path}`);
      if (evidence.says(IRREVERSIBLE_PHRASES)) {
        raisedBy.forEach((reason) => reasons.add(reason));
        reasons.add("the description says data will be lost or cannot be recovered");
        return { category: "destructive", level: atLeast(level, "high") };
      }
      break;
    }
    case "communication": {
      const recipient = argument("recipient") ?? argument("address");
      if (recipient) raisedBy.push(`argument \`${recipient.name}\` ${ARGUMENT_GLOSS[recipient.role]}`);
      if (objects.bulk) raisedBy.push(`the name says ${objects.bulk}: it acts on many items at once`);
      if (objects.communication?.public) raisedBy.push(objects.communication.reason);
      level = raisedBy.length > 0 || action.signal?.audience ? "high" : "medium";
      const messaging = context.domains.get("messaging");
      if (messaging) reasons.add(`the server delivers messages (${messaging})`);
      break;
    }
    case "execute": {
      level = "high";
      // A SQL tool's "command" is a statement, not a shell line.
      const shellName = action.runsSql ? undefined : words.find((word) => factsAbout(word).shell);
      const shellArgument = argument("shell");
      const shellProse = action.runsSql ? undefined : evidence.says(SHELL_PHRASES);
      const codeName = words.find((word) => factsAbout(word).code);
      const codeArgument = argument("code") ?? argument("script");
      const codeProse = prose.find((word) => factsAbout(word).code);
      if (shellArgument || shellName || shellProse) {
        level = "critical";
        raisedBy.push(
          shellArgument
            ? `argument \`${shellArgument.name}\` ${ARGUMENT_GLOSS.shell}`
            : shellName
              ? `the name mentions ${shellName}: it runs shell commands on the host`
              : `the description mentions ${shellProse?.join(" ")}: it runs shell commands`,
        );
      } else if (!action.runsSql && (codeArgument || codeName || codeProse)) {
        const what = codeArgument
          ? `argument \`${codeArgument.name}\` ${ARGUMENT_GLOSS[codeArgument.role]}`
          : `the ${codeName ? "name" : "description"} mentions ${codeName ?? codeProse}: it runs code`;
        const sandbox =
          words.find((word) => factsAbout(word).sandbox) ??
          prose.find((word) => factsAbout(word).sandbox) ??
          [...context.words].find((word) => factsAbout(word).sandbox);
        if (sandbox) {
          reasons.add(what);
          reasons.add(`it mentions ${sandbox}: the code runs contained, not on the host`);
        } else {
          level = "critical";
          raisedBy.push(`${what}, and nothing says it is sandboxed`);
        }
      }
      break;
    }
    case "destructive": {
      if (objects.heavy) raisedBy.push(`the name mentions ${objects.heavy}: removing one is hard to undo`);
      if (objects.bulk) raisedBy.push(`the name says ${objects.bulk}: it acts on many items at once`);
      const force = argument("force");
      if (force) raisedBy.push(`argument \`${force.name}\` ${ARGUMENT_GLOSS.force}`);
      if (evidence.says(IRREVERSIBLE_PHRASES)) raisedBy.push("the description says it cannot be undone");
      level = action.signal?.irreversible || raisedBy.length > 0 ? "critical" : "high";
      const path = argument("path");
      if (path) reasons.add(`argument \`${path.name}\` ${ARGUMENT_GLOSS.path}`);
      break;
    }
    case "financial":
      level = action.effect === "financial" || objects.money?.moves === true ? "critical" : "high";
      break;
    case "access_control": {
      const strongVerb = action.verb !== undefined && STRONG_ACCESS_VERBS.has(action.verb);
      level = objects.access?.strong === true || strongVerb ? "critical" : "high";
      break;
    }
  }
  raisedBy.forEach((reason) => reasons.add(reason));
  return { category, level };
}

/** Classifies one tool against a server context prepared once (see classifyTools). */
export function classifyInContext(definition: McpToolDefinition, context: PreparedServerContext): RiskClassification {
  // Definitions come from remote servers: anything that is not an object is a tool we know nothing about.
  const tool: McpToolDefinition = isPlainObject(definition) ? definition : { name: "" };
  const evidence = new Evidence(tool, context);
  const { name, words, reasons } = evidence;
  const nameVerbs = findNameVerbs(words);
  const objects = findObjects(words, new Set(nameVerbs.map((verb) => verb.index)), evidence.args, evidence.prose, context);
  const action = findAction(evidence, objects, nameVerbs);

  const annotations: Record<string, unknown> = isPlainObject(tool.annotations) ? tool.annotations : {};
  const declaresDestructive = annotations.destructiveHint === true;
  const declaresReadOnly = annotations.readOnlyHint === true;

  if (!action) {
    // A server's hints may raise the risk of a tool we cannot read, but a readOnlyHint alone never proves it safe.
    if (declaresDestructive) {
      reasons.add("the server declares destructiveHint: it may delete or overwrite data");
      return { name, category: "destructive", level: "high", reasons: reasons.list };
    }
    reasons.add("no known verb, noun or argument says what it does: treated as a write until someone reviews it");
    if (declaresReadOnly) reasons.add("the server declares readOnlyHint, but nothing else confirms it: a hint alone cannot lower the risk");
    return { name, category: "write", level: "medium", reasons: reasons.list };
  }

  const refined = categorize(action, objects);
  if (refined === "financial") reasons.add(objects.money?.reason);
  if (refined === "access_control") reasons.add(objects.access?.reason);
  if (refined === "communication") reasons.add(objects.communication?.reason);
  let { category, level } = levelFor(refined, action, objects, evidence);

  // 7. Every tool that changes things on a payments or permissions server says so; writes were raised above.
  if (category !== "read" && category !== "write") {
    for (const domain of ["payments", "permissions"] as const) {
      const found = context.domains.get(domain);
      if (found) reasons.add(contextReason(domain, found));
    }
  }

  // 8. Annotations are the server's claims: they may raise the risk, never lower it.
  if (declaresDestructive) {
    if (category === "read") category = "destructive";
    level = atLeast(level, "high");
    reasons.add("the server declares destructiveHint: it may delete or overwrite data");
  }
  if (declaresReadOnly) {
    reasons.add(
      category === "read"
        ? "the server declares readOnlyHint"
        : "the server declares readOnlyHint, but the signals above say it changes things: a hint cannot lower the risk",
    );
  }
  return { name, category, level, reasons: reasons.list };
}

export function classifyTool(tool: McpToolDefinition, context?: ServerContext): RiskClassification {
  return classifyInContext(tool, prepareServerContext(context));
}

/**
 * Classifies a whole `tools/list` result. The tools are each other's siblings unless the context names them, and
 * the server context is worked out once, so a thousand tools cost a thousand small classifications.
 */
export function classifyTools(tools: readonly McpToolDefinition[], context: ServerContext = {}): RiskClassification[] {
  const prepared = prepareServerContext({
    ...context,
    siblingToolNames: context.siblingToolNames ?? tools.map((tool) => (isPlainObject(tool) && typeof tool.name === "string" ? tool.name : "")),
  });
  return tools.map((tool) => classifyInContext(tool, prepared));
}
