import {
  ACCESS_NOUNS,
  BULK_WORDS,
  CODE_WORDS,
  COMMUNICATION_NOUNS,
  DESCRIPTION_MONEY_WORDS,
  COMPUTE_WORDS,
  DESCRIPTION_VERBS,
  HEAVY_NOUNS,
  INFRA_NOUNS,
  LIGHT_NOUNS,
  MESSAGING_SERVER_COMMUNICATION_NOUNS,
  MONEY_NOUNS,
  NOUN_ACTIONS,
  PERMISSIONS_SERVER_ACCESS_NOUNS,
  QUALIFIED_ACCESS_NOUNS,
  LIVE_CONFIG_NOUNS,
  VAULT_ITEM_NOUNS,
  MESSAGING_PRIVATE_NOUNS,
  PRIVATE_READ_NOUNS,
  RECORDING_NOUNS,
  RUNNABLE_NOUNS,
  SHARED_CODE_NOUNS,
  SANDBOX_WORDS,
  SENSITIVE_EXCEPTIONS,
  SENSITIVE_NOUNS,
  SESSION_NOUNS,
  SHELL_WORDS,
  SQL_WORDS,
  STATEMENT_WORDS,
  UNSENT_WORDS,
  VERBS,
  type Effect,
  type VerbSignal,
} from "@/lib/risk/signals";
import { wordForms } from "@/lib/risk/tokenize";

// Everything the vocabulary says about one word, worked out once per distinct word. Tools share most of their
// words (get, list, file, user), so classifying a thousand tools costs a few hundred look-ups, not tens of thousands.

/** A table entry found for a word, with the form that matched (`roles` matches `role`). */
export interface Match<T> {
  entry: T;
  form: string;
}

export interface WordFacts {
  /** The verb the word is in a name, where only exact forms count: a plural in a name is a noun. */
  verb?: VerbSignal;
  /** The verb the word is in prose ("Deletes", "Returns"). */
  descriptionVerb?: Match<VerbSignal>;
  nounAction?: Match<{ effect: Extract<Effect, "read" | "execute">; gloss: string }>;
  money?: Match<{ moves: boolean }>;
  access?: Match<{ strong: boolean }>;
  qualifiedAccess?: Match<{ after: readonly string[]; strong: boolean; notSecret?: boolean }>;
  permissionsServerAccess?: Match<{ strong: boolean }>;
  communication?: Match<{ public: boolean }>;
  sensitive?: Match<{ strong: boolean; listed?: boolean }>;
  heavy: boolean;
  bulk: boolean;
  light: boolean;
  session: boolean;
  infra: boolean;
  unsent: boolean;
  messagingCommunication: boolean;
  sensitiveException: boolean;
  shell: boolean;
  code: boolean;
  sandbox: boolean;
  sql: boolean;
  statement: boolean;
  compute: boolean;
  runnable: boolean;
  recording: boolean;
  sharedCode: boolean;
  liveConfig: boolean;
  privateRead: boolean;
  vaultItem: boolean;
  messagingPrivate: boolean;
  /** A word that, in a description, says money moves (payment, funds). */
  descriptionMoney: boolean;
}

const VERB_TABLE = new Map(Object.entries(VERBS));
const DESCRIPTION_VERB_TABLE = new Map([...Object.entries(VERBS), ...Object.entries(DESCRIPTION_VERBS)]);
const NOUN_ACTION_TABLE = new Map(Object.entries(NOUN_ACTIONS));
const MONEY_TABLE = new Map(Object.entries(MONEY_NOUNS));
const ACCESS_TABLE = new Map(Object.entries(ACCESS_NOUNS));
const QUALIFIED_ACCESS_TABLE = new Map(Object.entries(QUALIFIED_ACCESS_NOUNS));
const PERMISSIONS_SERVER_ACCESS_TABLE = new Map(Object.entries(PERMISSIONS_SERVER_ACCESS_NOUNS));
const COMMUNICATION_TABLE = new Map(Object.entries(COMMUNICATION_NOUNS));
const SENSITIVE_TABLE = new Map(Object.entries(SENSITIVE_NOUNS));

function match<T>(table: ReadonlyMap<string, T>, forms: readonly string[]): Match<T> | undefined {
  for (const form of forms) {
    const entry = table.get(form);
    if (entry !== undefined) return { entry, form };
  }
  return undefined;
}

function anyForm(set: ReadonlySet<string>, forms: readonly string[]): boolean {
  return forms.some((form) => set.has(form));
}

function factsOf(word: string): WordFacts {
  const forms = wordForms(word);
  return {
    verb: VERB_TABLE.get(word),
    descriptionVerb: match(DESCRIPTION_VERB_TABLE, forms),
    nounAction: match(NOUN_ACTION_TABLE, forms),
    money: match(MONEY_TABLE, forms),
    access: match(ACCESS_TABLE, forms),
    qualifiedAccess: match(QUALIFIED_ACCESS_TABLE, forms),
    permissionsServerAccess: match(PERMISSIONS_SERVER_ACCESS_TABLE, forms),
    communication: match(COMMUNICATION_TABLE, forms),
    sensitive: match(SENSITIVE_TABLE, forms),
    heavy: anyForm(HEAVY_NOUNS, forms),
    bulk: BULK_WORDS.has(word),
    light: anyForm(LIGHT_NOUNS, forms),
    session: anyForm(SESSION_NOUNS, forms),
    infra: anyForm(INFRA_NOUNS, forms),
    unsent: anyForm(UNSENT_WORDS, forms),
    messagingCommunication: anyForm(MESSAGING_SERVER_COMMUNICATION_NOUNS, forms),
    sensitiveException: anyForm(SENSITIVE_EXCEPTIONS, forms),
    shell: SHELL_WORDS.has(word),
    code: CODE_WORDS.has(word),
    sandbox: SANDBOX_WORDS.has(word),
    sql: SQL_WORDS.has(word),
    statement: STATEMENT_WORDS.has(word),
    compute: COMPUTE_WORDS.has(word),
    runnable: anyForm(RUNNABLE_NOUNS, forms),
    recording: anyForm(RECORDING_NOUNS, forms),
    sharedCode: anyForm(SHARED_CODE_NOUNS, forms),
    liveConfig: anyForm(LIVE_CONFIG_NOUNS, forms),
    privateRead: anyForm(PRIVATE_READ_NOUNS, forms),
    vaultItem: anyForm(VAULT_ITEM_NOUNS, forms),
    messagingPrivate: anyForm(MESSAGING_PRIVATE_NOUNS, forms),
    descriptionMoney: anyForm(DESCRIPTION_MONEY_WORDS, forms),
  };
}

/** Bounds the memo: vocabularies are small, but descriptions can bring any number of distinct words. */
const MEMO_LIMIT = 50_000;
const memo = new Map<string, WordFacts>();

export function factsAbout(word: string): WordFacts {
  let facts = memo.get(word);
  if (facts === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    facts = factsOf(word);
    memo.set(word, facts);
  }
  return facts;
}

