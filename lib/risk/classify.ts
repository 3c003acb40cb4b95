import {
  findArguments,
  findDeletingSwitch,
  findOperations,
  findOverwritingSwitch,
  findRevealingSwitch,
  type ArgumentFinding,
  type OperationsFinding,
} from "@/lib/risk/arguments";
import { factsAbout } from "@/lib/risk/lexicon";
import { findObjects, type Objects } from "@/lib/risk/objects";
import { prepareServerContext, type PreparedServerContext } from "@/lib/risk/server-context";
import {
  ARGUMENT_GLOSS,
  AUXILIARY_VERBS,
  COMMITTED_NOUNS,
  CREATED_ACCESS_NOUNS,
  COMPOSING_VERBS,
  BUILT_TEXT_NOUNS,
  CACHE_NOUNS,
  DATA_SINK_NOUNS,
  STANDING_SENDERS,
  TEXT_OBJECT_NOUNS,
  TRANSFORMING_VERBS,
  DESTRUCTIVE_PHRASES,
  EFFECT_GLOSS,
  EVALUATION_CONTEXT_WORDS,
  EXAMINING_VERBS,
  EFFECT_SEVERITY,
  ENUMERATING_VERBS,
  HTTP_METHOD_VERBS,
  IRREVERSIBLE_PHRASES,
  MACHINE_MESSAGE_WORDS,
  PRIVATE_READ_EXCEPTIONS,
  NAME_PHRASES,
  NOUN_MARKERS,
  NAME_REPORT_NOUNS,
  QUERIED_RECORDS,
  RUN_REPORT_NOUNS,
  QUERY_NOUNS,
  READ_ONLY_PHRASES,
  READ_ONLY_QUERY_LANGUAGES,
  READ_RUN_OBJECTS,
  READING_RUN_VERBS,
  RUNNING_VERBS,
  SHELL_PHRASES,
  SQL_DESCRIPTION_WORDS,
  VALUE_PHRASES,
  VERB_JOINERS,
  VERBS,
  type ArgumentRole,
  type Effect,
  type VerbSignal,
} from "@/lib/risk/signals";
import { hasPhrase, proseGaps, tokenizeName, tokenizeText } from "@/lib/risk/tokenize";
import type { McpToolDefinition, RiskCategory, RiskClassification, RiskLevel, ServerContext } from "@/lib/risk/types";
import { isPlainObject } from "@/lib/json/is-plain-object";

// Combines the vocabulary in signals.ts into a category, a level and the reasons for both. Pure and deterministic:
// the same definition and context always give the same answer, so a stored classification can be recomputed.

/** How far into a description its verb is looked for: past "Use this tool to", not into the details. */
const DESCRIPTION_VERB_WINDOW = 8;
/** How far into a description a read's object is looked for: "Search messages from a sender", "Get all emails". */
const DESCRIPTION_OBJECT_WINDOW = 3;
const STRONG_ACCESS_VERBS: ReadonlySet<string> = new Set(["grant", "revoke", "impersonate", "assume", "elevate"]);
const LEVEL_RANK: Readonly<Record<RiskLevel, number>> = { low: 0, medium: 1, high: 2, critical: 3 };
const PHRASE_WORDS: ReadonlySet<string> = new Set(Object.keys(NAME_PHRASES).flatMap((phrase) => phrase.split(" ")));

/** What a database is built from, as opposed to the data in it. */
const DATABASE_STRUCTURE_WORDS: ReadonlySet<string> = new Set([
  "schema", "schemas", "table", "tables", "index", "indexes", "indices", "trigger", "triggers", "function", "functions",
  "constraint", "constraints", "column", "columns", "view", "views", "collection", "collections", "database",
  "databases", "sequence", "sequences", "extension", "extensions", "rls", "policy", "policies", "procedure", "procedures",
]);

/** Words by which a description speaks of the tool itself: "Call this tool to...", "Invoke the function when...". */
const SELF_REFERENCES: ReadonlySet<string> = new Set(["this", "the"]);
const TOOL_WORDS: ReadonlySet<string> = new Set(["tool", "function", "endpoint", "api"]);

/** Verbs that open or close the server's own connections. */
const CONNECTION_VERBS: ReadonlySet<string> = new Set(["connect", "disconnect", "reconnect"]);

/** Verbs that choose among things, and words that say the choice is only of what later calls use. */
const CHOOSING_VERBS: ReadonlySet<string> = new Set(["set", "switch", "select", "use", "change", "clear"]);
const SESSION_CHOICES: ReadonlySet<string> = new Set(["active", "current", "working", "default"]);

/** Words for whether you have seen something: marking it changes nothing anyone else sees. */
const READ_STATE_WORDS: ReadonlySet<string> = new Set(["unread", "unseen", "seen"]);

/** Older copies whose restore replaces the current state. */
const RESTORED_COPIES: ReadonlySet<string> = new Set(["backup", "backups", "snapshot", "snapshots"]);

/** Words by which a tool says its code is not contained. */
const UNSAFE_WORDS: ReadonlySet<string> = new Set(["unsafe", "unsandboxed", "unrestricted", "unconfined"]);

/** Verbs that add items: doing it to many at once is still adding. */
const ADDING_VERBS: ReadonlySet<string> = new Set(["create", "add", "insert", "upload", "import", "append", "save", "store"]);

/** Verbs that delete the thing itself rather than take it off something. */
const ENTITY_DELETING_VERBS: ReadonlySet<string> = new Set(["delete", "destroy", "purge", "erase"]);

/** Verbs that replace what is there: with destructiveHint, the server says the old value is gone. */
const OVERWRITING_VERBS: ReadonlySet<string> = new Set(["replace", "overwrite", "put"]);

/** Words after a name's object that say how it is picked or done, not what it is: `delete_table_by_id`. */
const OBJECT_QUALIFIERS: ReadonlySet<string> = new Set([
  "id", "ids", "uuid", "name", "names", "permanently", "forever", "force", "completely", "tool", "async", "v1", "v2", "v3",
]);

/** Words that end a name's object: what follows names where it is (`delete_file_from_repo`) or how it is picked. */
const OBJECT_ENDS: ReadonlySet<string> = new Set(["from", "in", "on", "of", "for", "by", "if", "with", "at", "to", "into"]);

/**
 * The noun a name acts on, which in English comes last in its object (`delete_collection_response` deletes a response):
 * the words after the verb, or before it when the verb comes last (`project_delete`), up to a preposition.
 */
function headNoun(words: readonly string[], verbIndex: number | undefined): string | undefined {
  const after = verbIndex === undefined ? words : words.slice(verbIndex + 1);
  let object = after.length > 0 ? after : words.slice(0, verbIndex);
  const end = object.findIndex((word) => OBJECT_ENDS.has(word));
  if (end >= 0) object = object.slice(0, end);
  while (object.length > 1 && (OBJECT_QUALIFIERS.has(object.at(-1) ?? "") || /^\d+$/.test(object.at(-1) ?? ""))) object = object.slice(0, -1);
  return object.at(-1);
}

/** A name with only a verb and session words: `playwright_close`, `disconnect`. */
function nothingElseNamed(objects: Objects): boolean {
  return !objects.money && !objects.access && !objects.communication && !objects.heavy && !objects.infra && !objects.bulk && !objects.sensitive;
}

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
  /** What comes before each of the prose's first DESCRIPTION_VERB_WINDOW words: a comma or a slash between two verbs makes them a list. */
  readonly gaps: readonly string[];
  readonly args: readonly ArgumentFinding[];
  readonly operations: OperationsFinding | undefined;
  /** A boolean argument that makes the call delete data as well. */
  readonly deletingSwitch: string | undefined;
  /** A boolean argument that makes the call return secrets. */
  readonly revealingSwitch: string | undefined;
  /** A boolean argument that lets the call replace what is already there. */
  readonly overwritingSwitch: string | undefined;
  /** The server declares readOnlyHint (and not destructiveHint). */
  readonly declaresReadOnly: boolean;
  readonly reasons = new Reasons();
  /** The input schema's top-level argument names, lowercased. */
  readonly argumentNames: ReadonlySet<string>;

  constructor(
    tool: McpToolDefinition,
    readonly context: PreparedServerContext,
  ) {
    const annotations: unknown = tool.annotations;
    const title = isPlainObject(annotations) ? annotations.title : undefined;
    this.declaresReadOnly = isPlainObject(annotations) && annotations.readOnlyHint === true && annotations.destructiveHint !== true;
    let text = typeof tool.title === "string" ? tool.title : "";
    if (typeof title === "string") text += `. ${title}`;
    if (typeof tool.description === "string") text += `. ${tool.description}`;
    this.name = typeof tool.name === "string" ? tool.name : "";
    this.words = tokenizeName(this.name);
    this.prose = tokenizeText(text);
    this.gaps = proseGaps(text, DESCRIPTION_VERB_WINDOW);
    this.args = findArguments(tool.inputSchema);
    this.operations = findOperations(tool.inputSchema);
    this.deletingSwitch = findDeletingSwitch(tool.inputSchema);
    this.revealingSwitch = findRevealingSwitch(tool.inputSchema);
    this.overwritingSwitch = findOverwritingSwitch(tool.inputSchema);
    const schema: unknown = tool.inputSchema;
    const properties = isPlainObject(schema) && isPlainObject(schema.properties) ? Object.keys(schema.properties).slice(0, 256) : [];
    this.argumentNames = new Set(properties.map((name) => name.toLowerCase()));
  }

  /** Whether the input schema has a top-level argument of this name (`text`, `html`). */
  hasArgument(name: string): boolean {
    return this.argumentNames.has(name);
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
  // `jira_post`, `playwright_put`: a method at the end of a name sends that request to an API.
  if (method !== undefined && previous !== undefined && previous !== "api" && following === undefined) return VERBS[method];
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
    // `start_search`, `startAccessibilityScan`: an auxiliary yields to a verb later in the name.
    // A phrase is not such a verb: `stop_port_forward` stops the forward rather than opening one.
    const later = (offset: number) => nameVerbAt(words, index + 1 + offset) !== undefined && !PHRASE_WORDS.has(words[index + 1 + offset] ?? "");
    if (AUXILIARY_VERBS.has(word) && words.slice(index + 1).some((_, offset) => later(offset))) continue;
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

/** Whether a verb changes a running system here: `restart_service` does, `promote_build` puts a build into use. */
function isLive(signal: VerbSignal, objects: Objects): boolean {
  return signal.live === true && (objectPresent(signal, objects) || signal.liveOtherwise === true);
}

/** Whether the object a verb needs for its full effect is there: `transfer` moves money only when there is money. */
function objectPresent(signal: VerbSignal, objects: Objects): boolean {
  switch (signal.onlyWith) {
    case "money":
      return objects.money !== undefined;
    case "access":
      return objects.access !== undefined;
    case "heavy":
      return objects.heavy !== undefined || objects.bulk !== undefined;
    case "running":
      return objects.infra !== undefined || objects.heavy !== undefined;
    case "infra":
      return objects.infra !== undefined;
    case "nomessage":
      return objects.communication === undefined || objects.access !== undefined;
    case "nosession":
      return objects.session === undefined;
    case "shared":
      return objects.sharedCode !== undefined;
    case "membership":
      return objects.access !== undefined || objects.membership !== undefined;
    default:
      return true;
  }
}

/** A verb's effect on these objects. Starting or stopping a recording (`start_trace`) only reads. */
function resolveEffect(signal: VerbSignal, objects: Objects): Effect {
  if (objectPresent(signal, objects)) return signal.effect;
  if (signal.onlyWith === "running" && objects.recording) return "read";
  return signal.otherwise ?? "write";
}

function verbGloss(signal: VerbSignal, effect: Effect, objects: Objects): string {
  if (effect === signal.effect && objectPresent(signal, objects)) return signal.gloss ?? EFFECT_GLOSS[effect];
  if (effect === "read" && objects.recording) return `it only records a ${objects.recording}`;
  if (signal.otherwiseGloss !== undefined && effect === signal.otherwise) return signal.otherwiseGloss;
  return EFFECT_GLOSS[effect];
}

interface Action {
  effect: Effect;
  signal?: VerbSignal;
  /** The verb's base form, when the action came from a verb. */
  verb?: string;
  /** Where in the name the verb was, to look for its object after it. */
  index?: number;
  /** The description lists several operations, some of them changes ("get, create, drop"). */
  several?: boolean;
  /** The verb changes a running system or shared code here (`deploy`, `restart_service`), not just data. */
  live?: boolean;
  /** The tool runs SQL it is given and says it only reads. */
  readOnlySql?: boolean;
  /** The tool runs SQL it is given. */
  runsSql?: boolean;
  /** The destruction is an overwrite (`restore_backup`): what the server holds is replaced, not removed. */
  overwrites?: boolean;
  /** Where the effect was read: the name's verb says more than a verb in the description. */
  from?: "name" | "description" | "noun" | "operations" | "hint";
}

/** "a" or "an" before a word, by its first letter: "an audit", "a report". */
function article(word: string): string {
  return /^[aeiou]/.test(word) ? "an" : "a";
}

/**
 * Why a `run`, `execute` or `evaluate` in the name only reads, if it does: what it runs is a report, an audit or a
 * search (`run_report`, `execute_search`), a query in a language that cannot write (`execute_promql`), a dry run, or
 * something it says only reads; what `evaluate` works out is code only where code is in view. Not where an argument
 * takes a command, a script or code, and SQL is left to step 3, which knows read-only SQL from the rest.
 */
function readingRun(evidence: Evidence, verb: NameVerb & { effect: Effect }): string | undefined {
  if (verb.effect !== "execute") return undefined;
  if ((["shell", "script", "code"] as const).some((role) => evidence.argument(role))) return undefined;
  const { words, prose } = evidence;
  const named = `the name ${verb.index === 0 ? "starts with" : "contains"} ${verb.word}`;
  // `build_query`, `build_url`: what it builds is text it returns, not software.
  const built = verb.word === "build" ? headNoun(words, verb.index) : undefined;
  if (built !== undefined && BUILT_TEXT_NOUNS.has(built)) return `${named}, but what it builds is ${article(built)} ${built}: it puts text together and returns it`;
  // `build_status`, `run_logs`, `deploy_history`: the verb names the runs the tool reports on.
  const reported = headNoun(words, verb.index);
  if (reported !== undefined && RUN_REPORT_NOUNS.has(reported)) return `${named}, but the name asks for its ${reported}: it reports on runs, it starts none`;
  if (!READING_RUN_VERBS.has(verb.word)) return undefined;
  if (words[verb.index - 1] === "dry") return `the name says dry ${verb.word}: it shows what a call would do and changes nothing`;
  const head = headNoun(words, verb.index);
  if (head !== undefined && READ_RUN_OBJECTS.has(head)) return `${named}, but what it runs is ${article(head)} ${head}: it only reads`;
  const sql =
    evidence.argument("sql") !== undefined || words.some((word) => factsAbout(word).sql) || prose.some((word) => factsAbout(word).sql);
  const language = words.find((word) => READ_ONLY_QUERY_LANGUAGES.has(word)) ?? prose.find((word) => READ_ONLY_QUERY_LANGUAGES.has(word));
  if (!sql && language !== undefined && head !== undefined && (READ_ONLY_QUERY_LANGUAGES.has(head) || QUERY_NOUNS.has(head))) {
    return `${named}, but what it runs is ${article(language)} ${language} query, which can only read`;
  }
  if (!sql && !evidence.context.domains.has("database") && evidence.says(READ_ONLY_PHRASES)) {
    return `${named}, but the description says what it runs only reads`;
  }
  if (verb.word === "evaluate") {
    const code = [...words, ...prose].find(
      (word) => factsAbout(word).code || factsAbout(word).sandbox || factsAbout(word).shell || EVALUATION_CONTEXT_WORDS.has(word),
    );
    if (code === undefined) return `${named}, and nothing it mentions is code: it works out a result from what it is given`;
  }
  return undefined;
}

/** What a name's report noun (`terminal_output`) says it does. */
const REPORTED = { entry: { effect: "read" as const, gloss: "it reports information" } };

/** The noun a verbless name ends in, where it says the tool reports (`pod_logs`, `job_status`). */
function reportingName(words: readonly string[]): string | undefined {
  const head = headNoun(words, undefined);
  return head !== undefined && (factsAbout(head).nounAction?.entry.effect === "read" || NAME_REPORT_NOUNS.has(head)) ? head : undefined;
}

/**
 * Why a name's cutting or formatting verb only returns a changed copy, if it does (`truncate_text(text)`, `clean_html`,
 * `remove_background`): what it works on is text or markup it is given, or its description says it returns the result.
 */
function transformsInput(evidence: Evidence, verb: NameVerb & { effect: Effect }): string | undefined {
  if ((verb.effect !== "destructive" && verb.effect !== "write") || !TRANSFORMING_VERBS.has(verb.word)) return undefined;
  const object = headNoun(evidence.words, verb.index);
  if (object === undefined || !TEXT_OBJECT_NOUNS.has(object)) return undefined;
  const given = evidence.hasArgument(object);
  const returned = evidence.prose.some((word) => word === "return" || word === "returns" || word === "returning");
  if (!given && !returned) return undefined;
  const named = `the name ${verb.index === 0 ? "starts with" : "contains"} ${verb.word}`;
  return `${named}, but it works on the ${object} ${given ? "it is given" : "in what it is given"} and returns the result: nothing stored changes`;
}

/** Words that end the object of a verb in prose: "Runs a Lighthouse audit on a URL", "Run tests and report". */
const PROSE_OBJECT_ENDS: ReadonlySet<string> = new Set([...OBJECT_ENDS, "and", "or", "against", "over", "that", "which", "then", "across"]);

/**
 * What a `run` or `execute` opening a description runs, where that only reads: the noun its object ends in is a report,
 * an audit or a search ("Runs a Lighthouse audit on a URL"), or a query language that cannot write names it ("Execute a
 * PromQL range query"). The object is read up to the first preposition or conjunction, four words at most.
 */
function describedReadingRun(evidence: Evidence, verb: string, index: number): string | undefined {
  if (!READING_RUN_VERBS.has(verb) || verb === "evaluate" || verb === "eval") return undefined;
  if ((["shell", "script", "code", "sql"] as const).some((role) => evidence.argument(role))) return undefined;
  const { prose } = evidence;
  const object: string[] = [];
  for (const word of prose.slice(index + 1, index + 5)) {
    if (PROSE_OBJECT_ENDS.has(word)) break;
    object.push(word);
  }
  const head = object.at(-1);
  if (head !== undefined && READ_RUN_OBJECTS.has(head)) return `${article(head)} ${head}`;
  const language = object.find((word) => READ_ONLY_QUERY_LANGUAGES.has(word));
  const sql = prose.some((word) => factsAbout(word).sql) || evidence.words.some((word) => factsAbout(word).sql);
  if (language !== undefined && !sql && head !== undefined && (QUERY_NOUNS.has(head) || READ_ONLY_QUERY_LANGUAGES.has(head))) return `${article(language)} ${language} query`;
  return undefined;
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
  // `session_send(command)`: sending a command to a shell, with nobody named to receive it, runs the command.
  const shell = argument("shell");
  const sendsCommand = strongest?.effect === "communication" && shell !== undefined && !objects.communication && !argument("address");
  const readRun = strongest && (readingRun(evidence, strongest) ?? transformsInput(evidence, strongest));
  if (strongest && sendsCommand) {
    const where = strongest.index === 0 ? "starts with" : "contains";
    reasons.add(`the name ${where} ${strongest.word}, but nobody is named to receive it: it sends a command to run, not a message`);
    action = { effect: "execute", verb: strongest.word, index: strongest.index, from: "name" };
  } else if (strongest && readRun) {
    reasons.add(readRun);
    action = { effect: "read", verb: strongest.word, index: strongest.index, from: "name" };
  } else if (strongest) {
    // `kick_off_pipeline`: a phrase is shown whole, from where it starts.
    const phrase = words[strongest.index - 1];
    const whole = phrase !== undefined && NAME_PHRASES[`${phrase} ${strongest.word}`] !== undefined;
    const start = whole ? strongest.index - 1 : strongest.index;
    const where = start === 0 ? "starts with" : "contains";
    // `purge_cache` does not erase anything for good: a cache is fetched again (see levelFor).
    const cache = strongest.signal.irreversible === true && CACHE_NOUNS.has(headNoun(words, strongest.index) ?? "");
    const gloss = cache ? EFFECT_GLOSS.destructive : verbGloss(strongest.signal, strongest.effect, objects);
    reasons.add(`the name ${where} ${whole ? `${phrase} ${strongest.word}` : strongest.word}: ${gloss}`);
    action = {
      effect: strongest.effect,
      signal: strongest.signal,
      verb: strongest.word,
      index: strongest.index,
      live: isLive(strongest.signal, objects),
      from: "name",
    };
  }
  if (!strongest || strongest.signal.vague) {
    // The description's verbs: "Manage constraints: get, create, drop" lists operations; "running" describes.
    const described: { word: string; index: number; signal: VerbSignal; form: string; effect: Effect }[] = [];
    const nameNouns = new Set(words.filter((_, index) => !nameVerbs.some((verb) => verb.index === index)));
    for (let index = 0; index < Math.min(prose.length, DESCRIPTION_VERB_WINDOW); index++) {
      const word = prose[index] ?? "";
      const found = factsAbout(word).descriptionVerb;
      if (!found || found.entry.vague || (index > 0 && word.endsWith("ing"))) continue;
      // "Get alert details including labels": after a determiner or a preposition, a verb's form is a noun.
      if (index > 0 && NOUN_MARKERS.has(prose[index - 1] ?? "")) continue;
      // "Manage PostgreSQL triggers" for `pg_manage_triggers`: a word the name holds as its object is a noun here too.
      if (index > 0 && nameNouns.has(word)) continue;
      // "Call this tool to get a quote": the verb is about calling the tool, and what the tool does comes after it.
      if (SELF_REFERENCES.has(prose[index + 1] ?? "") && TOOL_WORDS.has(prose[index + 2] ?? "")) continue;
      described.push({ word, index, signal: found.entry, form: found.form, effect: resolveEffect(found.entry, objects) });
    }
    const first = described[0];
    // Only a list counts ("get, create, drop", "lists or deletes"): verbs next to each other, or joined by and/or.
    const listed = first ? [first] : [];
    for (const verb of described.slice(1)) {
      const previous = listed.at(-1)!;
      const joined = verb.index === previous.index + 2 && VERB_JOINERS.has(prose[previous.index + 1] ?? "");
      // "get, create, drop" and "create/update" are lists; "view commit history" is a verb and its object.
      const separated = verb.index === previous.index + 1 && /[,/|;&]/.test(evidence.gaps[verb.index] ?? "");
      if (!separated && !joined) break;
      listed.push(verb);
    }
    const changes = listed.filter((verb) => verb.effect === "write" || verb.effect === "destructive");
    // What a run the description opens on only reads, if it does: the name's report noun, or what it says it runs.
    const runs = first !== undefined && first.effect === "execute";
    const reportNoun = runs && !strongest ? reportingName(words) : undefined;
    const readingRunObject = runs && reportNoun === undefined ? describedReadingRun(evidence, first.form, first.index) : undefined;
    if (first && first.effect === "read" && changes.length > 0) {
      const names = [...new Set(listed.map((verb) => verb.form))].slice(0, 4).join(", ");
      // Judged by the worst of them: "list, create, delete" deletes.
      const deletes = changes.find((verb) => verb.effect === "destructive" && STRONG_DELETES.has(verb.word));
      reasons.add(`the description lists several operations (${names}): ${deletes ? `one of them is ${deletes.form}: it removes data` : "it changes data"}`);
      action = { effect: deletes ? "destructive" : "write", verb: (deletes ?? changes[0]!).form, several: true, from: "description" };
    } else if (first && reportNoun !== undefined) {
      // `pod_logs`: "Runs kubectl logs for a pod": the name says it reports; the description says how it gets that.
      reasons.add(`the name mentions ${reportNoun}: it reports information; the description's "${first.word}" says how it gets it`);
      action = { effect: "read", verb: first.form, from: "description" };
    } else if (first && readingRunObject !== undefined) {
      // "Execute a PromQL range query", "Runs a Lighthouse audit on a URL": what it runs only reads.
      reasons.add(`the description ${first.index === 0 ? "starts with" : "says"} "${first.word}", but what it runs is ${readingRunObject}: it only reads`);
      action = { effect: "read", verb: first.form, from: "description" };
    } else if (first) {
      reasons.add(`the description ${first.index === 0 ? "starts with" : "says"} "${first.word}": ${verbGloss(first.signal, first.effect, objects)}`);
      action = {
        effect: first.effect,
        signal: first.signal,
        verb: first.form,
        live: isLive(first.signal, objects),
        from: "description",
      };
    }
  }
  // 1b. An argument that picks the operation (`mode: list | create | delete`) says what a tool named for its object
  // (`git_branch`) can do, where neither the name's verb nor the description's opening does.
  // A read verb in the name yields to them too: `review_pull_request(action: approve | merge | decline)` merges.
  const operations = evidence.operations;
  // Not where the server declares the tool read-only: then the name and the hint agree that it reads.
  const readName = action?.from === "name" && action.effect === "read" && action.signal?.mints !== true && !evidence.declaresReadOnly;
  if (operations && (!action || action.signal?.vague || readName || (action.from === "description" && action.effect === "read"))) {
    const known = operations.words.flatMap((word) => {
      const signal = factsAbout(word).verb;
      return signal ? [{ word, signal, effect: resolveEffect(signal, objects) }] : [];
    });
    const changes = known.filter((verb) => verb.effect === "write" || verb.effect === "destructive");
    const names = [...new Set(known.map((verb) => verb.word))].slice(0, 4).join(", ");
    if (known.length >= 2 && changes.length > 0) {
      reasons.add(`argument \`${operations.name}\` picks among operations (${names}): it changes data`);
      // Judged by the worst of them: merging a pull request the name names, or restarting a service it names, is live.
      // An operation word alone is not (`git_stash(mode: push)` pushes onto a local stash).
      const live = changes.find((verb) => verb.signal.live === true && verb.signal.onlyWith !== undefined && objectPresent(verb.signal, objects));
      if (live) reasons.add(`one of them is ${live.word}: ${live.signal.gloss ?? EFFECT_GLOSS[live.effect]}`);
      const deletes = live ? undefined : changes.find((verb) => verb.effect === "destructive" && STRONG_DELETES.has(verb.word));
      if (deletes) reasons.add(`one of them is ${deletes.word}: it removes data`);
      action = { effect: deletes ? "destructive" : "write", verb: (deletes ?? changes[0]!).word, several: true, live: live !== undefined, from: "operations" };
    } else if (!action && known.length >= 2 && known.every((verb) => verb.effect === "read")) {
      reasons.add(`argument \`${operations.name}\` picks among operations (${names}): it only reads`);
      action = { effect: "read", verb: known[0]!.word, from: "operations" };
    }
  }
  if (!action) {
    // The last such noun is what the name is about: `notebook_info` reports on a notebook, `python_repl` runs code.
    const noun = words.findLast((word) => factsAbout(word).nounAction || NAME_REPORT_NOUNS.has(word));
    const found = noun === undefined ? undefined : (factsAbout(noun).nounAction ?? (NAME_REPORT_NOUNS.has(noun) ? REPORTED : undefined));
    if (found) {
      reasons.add(`the name mentions ${noun}: ${found.entry.gloss}`);
      action = { effect: found.entry.effect, from: "noun" };
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

  // Restoring a backup or a snapshot puts an older copy over what is there now.
  const restored = action?.verb === "restore" ? words.find((word) => RESTORED_COPIES.has(word)) : undefined;
  if (action && restored) {
    reasons.add(`the name mentions ${restored}: restoring one overwrites what is there now`);
    action = { ...action, effect: "destructive", overwrites: true };
  }

  // `download_template(overwrite)`: a call that can replace what is there writes it, whatever its verb says.
  if (action?.effect === "read" && evidence.overwritingSwitch) {
    reasons.add(`argument \`${evidence.overwritingSwitch}\` lets it replace what is already there: it writes, not only reads`);
    action = { effect: "write", from: action.from };
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
  // A `query` argument of `search_docs` is search text; of `run`, `execute_query` or `read_query`, a statement.
  const statementName = words.some((word) => factsAbout(word).statement);
  // `query_logs(queryString)` on a database server: what it queries is logs, so the query filters them, unless SQL is named.
  const queried = action?.verb === "query" && !sqlWord && sqlArgument?.role === "query" ? headNoun(words, action.index) : undefined;
  const namesSql = tokenizeText(sqlArgument?.description ?? "").some((word) => SQL_DESCRIPTION_WORDS.has(word));
  const filtersRecords = queried !== undefined && QUERIED_RECORDS.has(queried) && !namesSql;
  if (filtersRecords) reasons.add(`the name queries ${queried}: argument \`${sqlArgument?.name}\` filters them, it is not a SQL statement`);
  const runsStatements =
    !filtersRecords &&
    sqlArgument !== undefined &&
    (statementName ||
      !action ||
      action.signal?.vague === true ||
      action.effect === "execute" ||
      (action.effect === "read" && sqlArgument.role === "sql") ||
      action.verb === "select");
  if (runsStatements) {
    reasons.add(`argument \`${sqlArgument.name}\` ${ARGUMENT_GLOSS.sql}`);
    if (!sqlWord && databaseServer) reasons.add(`the server runs a database (${databaseServer})`);
    // The statement's own description may say so too: `sql: "A read-only SELECT statement"`.
    const argumentWords = tokenizeText(sqlArgument.description ?? "");
    const argumentReadOnly = READ_ONLY_PHRASES.some((phrase) => hasPhrase(argumentWords, phrase));
    const claimsReadOnly = evidence.says(READ_ONLY_PHRASES) !== undefined || argumentReadOnly;
    // `read_query` and `select_rows` say they read; `query` alone says nothing either way.
    const readVerb = (action?.effect === "read" && action.verb !== "query") || action?.verb === "select";
    if (claimsReadOnly || readVerb) {
      if (claimsReadOnly) {
        reasons.add(argumentReadOnly && !evidence.says(READ_ONLY_PHRASES) ? `argument \`${sqlArgument.name}\` says it takes read-only SQL` : "the description says it only runs read-only SQL");
      }
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

/**
 * A write read off nothing but a vague verb in the name (`handle_x`, with no verb in the description): the tool's own
 * words do not say it changes data. A verb in the description ("Creates a buffer") does, as do listed operations.
 */
function leftOpen(action: Action, objects: Objects, evidence: Evidence): boolean {
  if (action.effect !== "write" || action.runsSql || action.live || action.several) return false;
  // `manage(role)`, `do_all`: a vague verb on money, access, a message, many items or a live system still says that.
  if (!nothingElseNamed(objects)) return false;
  // `do_drain(url)`: a drain or a sink pointed at an address sends data out, whatever the verb.
  if (evidence.words.some((word) => DATA_SINK_NOUNS.has(word)) && evidence.argument("url")) return false;
  return action.from === "name" && action.signal?.vague === true;
}

/** Step 5: the object refines the effect. Creating a refund is financial; deleting a role is access control. */
function categorize(action: Action, objects: Objects): RiskCategory {
  const { effect } = action;
  const composing = action.verb !== undefined && COMPOSING_VERBS.has(action.verb);
  // A webhook is about access only when one is made; renaming or deleting one is an ordinary write or deletion.
  const access = objects.access && CREATED_ACCESS_NOUNS.has(objects.access.word) && !composing ? undefined : objects.access;
  if (effect === "write" || (effect === "read" && action.signal?.mints)) {
    if (objects.money) return "financial";
    if (access) return "access_control";
    if (objects.communication && composing && !objects.unsent) return "communication";
    if (objects.communication && STANDING_SENDERS.has(objects.communication.word) && effect === "write") return "communication";
    return effect;
  }
  if (effect === "destructive") {
    // Dropping a table removes it; dropping files onto a page element in a browser uploads them.
    if (action.verb === "drop" && objects.session) return "write";
    // Removing a label from an issue is a small write; deleting the label itself strips it from everything.
    if (objects.light && !(action.verb !== undefined && ENTITY_DELETING_VERBS.has(action.verb))) return "write";
    if (access) return "access_control";
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
      // Reading a page the agent picks is still reading: the address is worth a policy, not a higher level.
      const url = argument("url");
      if (url && !action.readOnlySql) reasons.add(`argument \`${url.name}\` ${ARGUMENT_GLOSS.url}`);
      if (evidence.revealingSwitch) {
        level = atLeast(level, "high");
        raisedBy.push(`argument \`${evidence.revealingSwitch}\` makes it return secrets in plain text`);
      }
      // `navigate_page(url, initScript)`: reading a page, and also running whatever script the agent passes.
      // Only a command or a script: a `code` argument of a read (`explain_code`, `lint`) is code to look at.
      const runs = action.runsSql ? undefined : (argument("shell") ?? argument("script"));
      // `explain_command(command)`, `lint_script(script)`: the command is there to be looked at, not run.
      const examines = runs !== undefined && action.from === "name" && action.verb !== undefined && EXAMINING_VERBS.has(action.verb);
      if (runs && examines) {
        reasons.add(`argument \`${runs.name}\` holds what it ${action.verb === "explain" ? "explains" : "looks at"}: nothing says the call runs it`);
      } else if (runs) {
        level = atLeast(level, "high");
        raisedBy.push(`argument \`${runs.name}\` ${ARGUMENT_GLOSS[runs.role]}: the same call can run it`);
      }
      const messaging = context.domains.get("messaging");
      const privateWord =
        words.find(
          (word, index) =>
            factsAbout(word).privateRead && !MACHINE_MESSAGE_WORDS.has(words[index - 1] ?? "") && !PRIVATE_READ_EXCEPTIONS.has(words[index + 1] ?? ""),
        ) ??
        (messaging ? words.find((word) => factsAbout(word).messagingPrivate) : undefined);
      // `search_by_sender`: "Search messages from a specific sender" names what it reads where the name does not.
      // Only messages, as the object of the opening verb: "Lists customers, optionally filtered by email" reads no mail.
      const opening = prose.slice(0, DESCRIPTION_OBJECT_WINDOW);
      // A name that mentions such a word and was judged by it (`get_message_count`) is not judged again here.
      const describedPrivate = words.some((word) => factsAbout(word).privateRead)
        ? undefined
        : opening.find(
            (word, index) =>
              factsAbout(word).privateRead &&
              factsAbout(word).communication !== undefined &&
              !MACHINE_MESSAGE_WORDS.has(opening[index - 1] ?? "") &&
              !PRIVATE_READ_EXCEPTIONS.has(opening[index + 1] ?? ""),
          );
      if (privateWord || describedPrivate) {
        level = atLeast(level, "medium");
        raisedBy.push(`the ${privateWord ? "name" : "description"} mentions ${privateWord ?? describedPrivate}: it reads people's private messages or personal data`);
      }
      // A password manager's `get` or `list` returns vault items, passwords included; its `list_org_groups` does not.
      const secrets = context.domains.get("secrets");
      const onlyNames = action.verb !== undefined && ENUMERATING_VERBS.has(action.verb) && prose.includes("names") && !prose.includes("values") && !prose.includes("value");
      const vaultRead = !onlyNames && ((words.length === 1 && action.index === 0) || objects.sensitive !== undefined || words.some((word) => factsAbout(word).vaultItem));
      if (secrets && vaultRead && !words.some((word) => factsAbout(word).sensitiveException)) {
        level = atLeast(level, "high");
        raisedBy.push(`the server keeps secrets (${secrets}): what it reads can include them`);
      }
      if (objects.sensitive) {
        const enumerates = action.verb !== undefined && ENUMERATING_VERBS.has(action.verb);
        // "List all secrets with their values": this list shows them.
        const showsValues = evidence.says(VALUE_PHRASES);
        const reveals = objects.sensitive.strong && (objects.sensitive.listed === true || !enumerates || showsValues !== undefined);
        if (reveals) {
          level = atLeast(level, "high");
          raisedBy.push(`the name mentions ${objects.sensitive.word}: reading it exposes a credential`);
        } else if (objects.sensitive.strong && enumerates && !context.domains.has("secrets")) {
          // `list_api_keys` shows which keys exist (names, ids, dates); reading one key's value is what exposes it.
          // A password manager's lists are read above: they return the items, secrets and all.
          reasons.add(`the name mentions ${objects.sensitive.word}, but it lists them: a list usually shows which exist, not their values`);
        } else {
          level = atLeast(level, "medium");
          raisedBy.push(`the name mentions ${objects.sensitive.word}: it can expose secrets`);
        }
      }
      break;
    }
    case "write": {
      // `connect_database`, `disconnect_database`: the server's own connection, not the database.
      if (objects.infra && action.signal?.session !== true) raisedBy.push(`the name mentions ${objects.infra}: it changes running infrastructure`);
      // Adding many items adds; changing many at once is what cannot be checked item by item.
      const adds = action.verb !== undefined && ADDING_VERBS.has(action.verb);
      // `disconnect_all` closes the server's own connections: many of them, but nothing anyone else has.
      const sessionOnly = action.signal?.session === true && nothingElseNamed({ ...objects, bulk: undefined });
      if (objects.bulk && !adds && !sessionOnly) raisedBy.push(`the name says ${objects.bulk}: it acts on many items at once`);
      if (objects.muting) raisedBy.push(`the name mentions ${objects.muting}: it mutes alerts people rely on`);
      const database = context.domains.get("database");
      // `pg_manage_indexes` (get, create, drop): the structure a database runs on; `redis_keys` (get, set, del) is data.
      const structure = words.find((word) => DATABASE_STRUCTURE_WORDS.has(word));
      if (action.several && database && structure) {
        raisedBy.push(`the server runs a database (${database}): it changes the ${structure} a live database runs on`);
      }
      if (objects.sensitive?.strong) raisedBy.push(`the name mentions ${objects.sensitive.word}: it handles credentials`);
      for (const domain of ["payments", "permissions"] as const) {
        const found = context.domains.get(domain);
        if (found) raisedBy.push(contextReason(domain, found));
      }
      const composing = action.verb !== undefined && COMPOSING_VERBS.has(action.verb);
      const url = argument("url");
      const sendsRequest = action.index !== undefined && action.index === words.length - 1 && HTTP_METHOD_VERBS[words[action.index] ?? ""] !== undefined;
      if (sendsRequest && url) raisedBy.push(`argument \`${url.name}\` ${ARGUMENT_GLOSS.url}: it sends a write request wherever the agent points it`);
      if (objects.liveConfig && !composing) raisedBy.push(`the name mentions ${objects.liveConfig}: it changes what users of a live product see`);
      const codehost = context.domains.get("codehost");
      const committed = codehost ? words.find((word) => COMMITTED_NOUNS.has(word)) : undefined;
      if (codehost && committed) raisedBy.push(`the server hosts shared code (${codehost}): a ${committed} written there is committed to a shared branch`);
      if (evidence.deletingSwitch) raisedBy.push(`argument \`${evidence.deletingSwitch}\` makes the same call delete data as well`);
      // `create_log_drain(url)`: what it sets up sends data on, as it comes, wherever the agent points it.
      const sink = words.find((word) => DATA_SINK_NOUNS.has(word));
      if (sink && url && action.signal?.session !== true) raisedBy.push(`the name mentions ${sink}, and argument \`${url.name}\` ${ARGUMENT_GLOSS.url}: it sends data on to an address outside`);
      // `mark_as_read`, `reset_unread_count`: whether you have seen something is yours alone.
      const readState = words.find((word, index) => READ_STATE_WORDS.has(word) || (word === "read" && (words[index - 1] === "as" || action.verb === "mark")));
      if (action.live || raisedBy.length > 0) level = "high";
      else if (action.signal?.light || objects.light) {
        level = "low";
        if (objects.light) reasons.add(`the name mentions ${objects.light}: a small, reversible change`);
      } else if (objects.session && (action.signal?.session || action.signal?.vague)) {
        level = "low";
        reasons.add(`the name mentions ${objects.session}: it only affects the client's own session`);
      } else if (action.signal?.session && action.index !== undefined && words.length === action.index + 1 && nothingElseNamed(objects)) {
        level = "low";
        reasons.add(`the name names nothing it acts on but the session: it only affects the client's own session`);
      } else if (action.verb !== undefined && CONNECTION_VERBS.has(action.verb) && !objects.money && !objects.access && !objects.communication) {
        // `connect_database`, `disconnect_all`: the server's own connections, whatever they lead to.
        level = "low";
        reasons.add(`the name starts a connection or ends one: it only affects the server's own session`);
        // Opening a connection changes nothing, so it is a read; closing one ends what other calls were using.
        if (action.verb === "connect" && action.from === "name" && raisedBy.length === 0 && !evidence.says(IRREVERSIBLE_PHRASES)) {
          reasons.add("opening a connection changes no data: it counts as a read");
          return { category: "read", level };
        }
      } else if (readState !== undefined) {
        level = "low";
        reasons.add(`the name mentions ${readState}: it only changes whether you have seen something`);
      } else if (action.verb !== undefined && CHOOSING_VERBS.has(action.verb) && SESSION_CHOICES.has(words[(action.index ?? -2) + 1] ?? "")) {
        // `set_active_workspace`, `git_set_working_dir`: which one later calls use, not what is in it.
        const choice = words[(action.index ?? 0) + 1];
        level = "low";
        reasons.add(`the name mentions the ${choice} one: it only chooses what later calls use`);
      } else level = "medium";
      const path = argument("path");
      if (path) reasons.add(`argument \`${path.name}\` ${ARGUMENT_GLOSS.path}`);
      if (evidence.says(IRREVERSIBLE_PHRASES)) {
        raisedBy.forEach((reason) => reasons.add(reason));
        reasons.add("the description says data will be lost or cannot be recovered");
        return { category: "destructive", level: atLeast(level, "high") };
      }
      // "Imports a dump and is destructive to existing data": the tool's own words say it destroys.
      const destroys = evidence.says(DESTRUCTIVE_PHRASES);
      if (destroys) {
        raisedBy.forEach((reason) => reasons.add(reason));
        reasons.add(`the description says "${destroys.join(" ")}": it destroys data as it writes`);
        return { category: "destructive", level: atLeast(level, "high") };
      }
      break;
    }
    case "communication": {
      const recipient = argument("recipient") ?? argument("address");
      if (recipient) raisedBy.push(`argument \`${recipient.name}\` ${ARGUMENT_GLOSS[recipient.role]}`);
      if (objects.bulk) raisedBy.push(`the name says ${objects.bulk}: it acts on many items at once`);
      if (objects.communication?.public) raisedBy.push(objects.communication.reason);
      // Whatever is sent reaches other people and cannot be taken back.
      level = "high";
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
      // Mentioning code is not running it: "evaluates JavaScript" is, "a Next.js app" is not.
      const codeProse = prose.find((word, index) => factsAbout(word).code && prose.slice(Math.max(0, index - 3), index).some((before) => RUNNING_VERBS.has(before)));
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
        // `browser_run_code_unsafe`: a tool that says it is unsafe is not contained, whatever else it mentions.
        const unsafe = words.find((word) => UNSAFE_WORDS.has(word)) ?? prose.find((word) => UNSAFE_WORDS.has(word));
        const sandbox =
          unsafe !== undefined ? undefined :
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
      // `delete_database` removes the database; `delete_collection_response` removes one response in a collection.
      const head = headNoun(words, action.index);
      // A name that is only a verb (`drop`) leaves its object to the description, which findObjects read.
      const heavy = head === undefined ? objects.heavy : objects.heavy !== undefined && factsAbout(head).heavy ? head : undefined;
      if (heavy && !action.overwrites) raisedBy.push(`the name mentions ${heavy}: removing one is hard to undo`);
      if (objects.bulk) raisedBy.push(`the name says ${objects.bulk}: it acts on many items at once`);
      // `empty_trash`, `empty_bucket`: everything the container holds goes in one call (a cache is fetched again).
      if (action.verb === "empty" && head !== undefined && !CACHE_NOUNS.has(head)) raisedBy.push(`the name says empty: it removes everything the ${head} holds at once`);
      const force = argument("force");
      if (force) raisedBy.push(`argument \`${force.name}\` ${ARGUMENT_GLOSS.force}`);
      // Deleting one item for good is High by the rubric: what makes it Critical is its scale, not that it is final.
      const atScale = raisedBy.length > 0;
      if (evidence.says(IRREVERSIBLE_PHRASES)) raisedBy.push("the description says it cannot be undone");
      // `purge_cache`: what a cache held is fetched again, so emptying one loses no data, however final the verb.
      const cache = head !== undefined && CACHE_NOUNS.has(head) && !atScale ? head : undefined;
      if (cache) reasons.add(`the name mentions ${cache}: what it removes is fetched again, so no data is lost`);
      level = (action.signal?.irreversible && !cache) || atScale ? "critical" : "high";
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
  let action = findAction(evidence, objects, nameVerbs);

  const annotations: Record<string, unknown> = isPlainObject(tool.annotations) ? tool.annotations : {};
  const declaresDestructive = annotations.destructiveHint === true;
  const declaresReadOnly = annotations.readOnlyHint === true;

  // A readOnlyHint never lowers what the tool's own words say, but it settles what they leave open: no verb, noun or
  // argument that says what it does, or only a verb that says little (`handle`).
  if (declaresReadOnly && !declaresDestructive && (!action || leftOpen(action, objects, evidence))) {
    reasons.add(
      action
        ? "the server declares readOnlyHint, and its words name no change: it only reads"
        : "no known verb says what it does, and the server declares readOnlyHint: it only reads",
    );
    action = { effect: "read", from: "hint" };
  }

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
  const { category, level: wordsLevel } = levelFor(refined, action, objects, evidence);
  let level = wordsLevel;

  // 7. Every tool that changes things on a payments or permissions server says so; writes were raised above.
  if (category !== "read" && category !== "write") {
    for (const domain of ["payments", "permissions"] as const) {
      const found = context.domains.get(domain);
      if (found) reasons.add(contextReason(domain, found));
    }
  }

  // 8. Annotations are the server's claims: they never lower the risk. MCP makes destructiveHint true by default
  // for every tool that is not read-only, so it raises only what the tool's own words leave open: a tool whose
  // words say it deletes or overwrites, or that replaces what is there (`update`, `set`, `write`).
  if (declaresDestructive) {
    const overwrites = action.verb !== undefined && OVERWRITING_VERBS.has(action.verb) && category === "write" && objects.light === undefined;
    if (category === "destructive" || overwrites) {
      level = atLeast(level, "high");
      reasons.add("the server declares destructiveHint: it may delete or overwrite data");
    } else {
      reasons.add(
        category === "read"
          ? "the server declares destructiveHint, but the tool's own words say it only reads: the level stays"
          : action.effect === "destructive"
            ? // `delete_permission` is judged as access control; its words already say it deletes.
              "the server declares destructiveHint, as the tool's own words say it deletes: the level stays"
            : "the server declares destructiveHint (MCP's default for a tool that is not read-only), and nothing in the tool's own words says it deletes: the level stays",
      );
    }
  }
  if (declaresReadOnly && action.from !== "hint") {
    reasons.add(
      category === "read"
        ? "the server declares readOnlyHint"
        : "the server declares readOnlyHint, but the signals above say it changes things: a hint cannot lower the risk",
    );
  }
  return { name, category, level, reasons: reasons.list };
}

/**
 * Operations that make a tool that offers them a deletion, judged by the worst of its operations: "list, create,
 * delete". Not `remove`, `drop` or `clean up`, which in such lists mostly take a thing out of another (a branch from
 * a local list, a tag from an item) or rebuild what can be made again (an index).
 */
const STRONG_DELETES = new Set(["delete", "deletes", "destroy", "destroys", "terminate", "terminates", "kill", "kills", "purge", "purges", "wipe", "wipes", "erase", "erases"]);

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
