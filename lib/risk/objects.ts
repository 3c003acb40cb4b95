import type { ArgumentFinding } from "@/lib/risk/arguments";
import { factsAbout, type Match } from "@/lib/risk/lexicon";
import type { PreparedServerContext } from "@/lib/risk/server-context";
import {
  ALERT_MUTING_NOUNS,
  ARGUMENT_GLOSS,
  ASSIGNABLE_NOUNS,
  MEMBERSHIP_NOUNS,
  NOUN_EXCEPTIONS,
  OBJECT_PREPOSITIONS,
  PERSON_NOUNS,
  QUALIFIED_SENSITIVE_NOUNS,
  VISIBILITY_WORDS,
} from "@/lib/risk/signals";
import { tokenizeName } from "@/lib/risk/tokenize";

// What a tool acts on, from the words around its verb, then its arguments, then its description: the object
// turns a generic `create` into a refund, a role or a message.

export interface Objects {
  money?: { word: string; moves: boolean; reason: string };
  access?: { word: string; strong: boolean; reason: string };
  communication?: { word: string; public: boolean; reason: string };
  heavy?: string;
  bulk?: string;
  light?: string;
  session?: string;
  infra?: string;
  /** Something a start or stop only records (`trace`). */
  recording?: string;
  /** Shared code a merge changes (`pull_request`). */
  sharedCode?: string;
  /** Live configuration users see (`feature_flag`). */
  liveConfig?: string;
  sensitive?: { word: string; strong: boolean; listed?: boolean };
  /** Something that mutes alerts (`silence`, `downtime`). */
  muting?: string;
  /** What people are members of (`team`, `organization`): joining one is a membership. */
  membership?: string;
  /** The object is kept, not sent (`create_draft`). */
  unsent: boolean;
}

/** How far into a description a verb-only name's object is looked for. */
const DESCRIPTION_OBJECT_WINDOW = 8;
/** How far into a description a money word says the tool moves money (its first sentence or so). */
const DESCRIPTION_MONEY_WINDOW = 12;

const STRONG_ACCESS_ARGUMENTS: ReadonlySet<string> = new Set(["policy", "role", "permission", "acl", "privilege"]);

/** A noun match, unless the word before it changes its meaning (`retention_policy`). */
function unlessQualified<T>(found: Match<T> | undefined, previous: string | undefined): T | undefined {
  if (!found) return undefined;
  return previous !== undefined && NOUN_EXCEPTIONS[found.form]?.includes(previous) ? undefined : found.entry;
}

/** What the name's words other than its verbs (`skip`) say about the object. */
function fromName(words: readonly string[], skip: ReadonlySet<number>, context: PreparedServerContext): Objects {
  const objects: Objects = { unsent: false };
  // `assign_member_to_card`: the member is the card's assignee, so the name is not about access.
  const preposition = words.findIndex((word) => OBJECT_PREPOSITIONS.has(word));
  const assignee = preposition > 0 && ASSIGNABLE_NOUNS.has(words[preposition + 1] ?? "") ? preposition : -1;
  const permissionsServer = context.domains.has("permissions");
  const messagingServer = context.domains.has("messaging");
  words.forEach((word, index) => {
    if (skip.has(index)) return;
    const facts = factsAbout(word);
    const previous = words[index - 1];
    const next = words[index + 1];

    const money = objects.money ? undefined : unlessQualified(facts.money, previous);
    if (money) {
      const gloss = money.moves ? "it moves money" : "it concerns billing";
      objects.money = { word, moves: money.moves, reason: `the name mentions ${word}: ${gloss}` };
    }

    // `access key`, `service account`: the pair names the object better than either word.
    const qualifier = facts.qualifiedAccess?.entry;
    const qualified = qualifier && previous !== undefined && qualifier.after.includes(previous) ? qualifier : undefined;
    const access =
      qualified ??
      unlessQualified(facts.access, previous) ??
      (permissionsServer ? unlessQualified(facts.permissionsServerAccess, previous) : undefined);
    const shown = qualified ? `${previous} ${word}` : word;
    const widens = qualified !== undefined && objects.access?.word === previous;
    if (access && (assignee === -1 || index > assignee) && (!objects.access || (!objects.access.strong && access.strong) || widens)) {
      const strong = access.strong || objects.access?.strong === true;
      const gloss = strong ? "it governs permissions" : "it concerns who has access";
      objects.access = { word: shown, strong, reason: `the name mentions ${shown}: ${gloss}` };
    }

    if (!objects.communication) {
      const communication =
        unlessQualified(facts.communication, previous) ??
        (messagingServer && facts.messagingCommunication ? { public: false } : undefined);
      if (communication) {
        const gloss = communication.public ? "it reaches an audience" : "it reaches people";
        objects.communication = { word, public: communication.public, reason: `the name mentions ${word}: ${gloss}` };
      }
    }

    if (!objects.heavy && facts.heavy) objects.heavy = word;
    if (!objects.bulk && facts.bulk) objects.bulk = word;
    if (!objects.light && facts.light) objects.light = word;
    if (!objects.session && facts.session) objects.session = word;
    if (!objects.infra && facts.infra && !(previous !== undefined && NOUN_EXCEPTIONS[word]?.includes(previous))) objects.infra = word;
    if (!objects.muting && ALERT_MUTING_NOUNS.has(word)) objects.muting = word;
    if (!objects.membership && MEMBERSHIP_NOUNS.has(word)) objects.membership = word;
    if (!objects.recording && facts.recording) objects.recording = word;
    if (!objects.sharedCode && facts.sharedCode) objects.sharedCode = word;
    if (!objects.liveConfig && facts.liveConfig) objects.liveConfig = word;
    if (facts.unsent) objects.unsent = true;

    // `secret_scanning_alert` is about secrets, it does not reveal one.
    const aboutTheSecret = next !== undefined && factsAbout(next).sensitiveException;
    const pairedSecret = previous !== undefined && QUALIFIED_SENSITIVE_NOUNS[word]?.includes(previous) === true;
    const sensitive: { strong: boolean; listed?: boolean } | undefined =
      unlessQualified(facts.sensitive, previous) ?? (pairedSecret ? { strong: true, listed: true } : qualified && qualified.notSecret !== true ? { strong: true } : undefined);
    if (sensitive && !aboutTheSecret && (!objects.sensitive || (!objects.sensitive.strong && sensitive.strong))) {
      objects.sensitive = { word: pairedSecret ? `${previous} ${word}` : shown, strong: sensitive.strong, listed: sensitive.listed };
    }
  });
  // `add_user_to_team`: putting a person in a team or an organization makes them a member.
  const member = words.find((word, index) => !skip.has(index) && PERSON_NOUNS.has(word));
  if (!objects.access && objects.membership && member) {
    objects.access = { word: member, strong: false, reason: `the name mentions ${member} and ${objects.membership}: it changes who is a member` };
  }
  // `make_file_public`, `set_repo_private`: a name that ends by saying who may see it changes who has access.
  const last = words.length - 1;
  const visibility = words[last];
  if (!objects.access && last > 0 && !skip.has(last) && visibility !== undefined && VISIBILITY_WORDS.has(visibility)) {
    objects.access = { word: visibility, strong: false, reason: `the name ends with ${visibility}: it changes who can see it` };
  }
  // `remove_member_from_card` takes an assignee off a card: a small change, put back by assigning them again.
  const person = assignee === -1 ? undefined : words.slice(0, assignee).find((word, index) => !skip.has(index) && factsAbout(word).access);
  if (person && !objects.light) objects.light = person;
  return objects;
}

/**
 * The object of a tool: its name first; where the name is silent, its arguments (`amount`, `policy`, `to`), and for
 * money its description ("Sends funds to...").
 */
export function findObjects(
  words: readonly string[],
  verbIndexes: ReadonlySet<number>,
  args: readonly ArgumentFinding[],
  prose: readonly string[],
  context: PreparedServerContext,
): Objects {
  const objects = fromName(words, verbIndexes, context);
  // A name that is only a verb (`confirm`, `lock`) leaves its object to the description's opening words.
  if (words.length > 0 && words.every((_, index) => verbIndexes.has(index))) {
    const described = fromName(prose.slice(0, DESCRIPTION_OBJECT_WINDOW), new Set(), context);
    objects.money ??= described.money && { ...described.money, reason: described.money.reason.replace("the name", "the description") };
    objects.access ??= described.access && { ...described.access, reason: described.access.reason.replace("the name", "the description") };
    objects.communication ??=
      described.communication && { ...described.communication, reason: described.communication.reason.replace("the name", "the description") };
    objects.heavy ??= described.heavy;
  }
  const moneyArgument = args.find((arg) => arg.role === "money");
  if (!objects.money && moneyArgument) {
    objects.money = { word: moneyArgument.name, moves: true, reason: `argument \`${moneyArgument.name}\` ${ARGUMENT_GLOSS.money}` };
  }
  if (!objects.money) {
    // In the description's opening words ("Sends funds to..."): further on, money is mostly context ("a customer's
    // payment terms", "the payment a deposit belongs to").
    const word = prose.slice(0, DESCRIPTION_MONEY_WINDOW).find((entry) => factsAbout(entry).descriptionMoney);
    if (word) objects.money = { word, moves: true, reason: `the description mentions ${word}: it moves money` };
  }
  const accessArgument = args.find((arg) => arg.role === "access");
  if (!objects.access && accessArgument) {
    const last = tokenizeName(accessArgument.name).filter((word) => word !== "document" && word !== "arn").at(-1) ?? "";
    const form = factsAbout(last).access?.form ?? last;
    objects.access = {
      word: accessArgument.name,
      strong: STRONG_ACCESS_ARGUMENTS.has(form),
      reason: `argument \`${accessArgument.name}\` ${ARGUMENT_GLOSS.access}`,
    };
  }
  const recipient = args.find((arg) => arg.role === "recipient");
  if (!objects.communication && recipient) {
    objects.communication = { word: recipient.name, public: false, reason: `argument \`${recipient.name}\` ${ARGUMENT_GLOSS.recipient}` };
  }
  return objects;
}
