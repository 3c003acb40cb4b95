import { NAMED_ONLY_DOMAINS, SERVER_DOMAINS, SIBLING_DOMAIN_THRESHOLD, type ServerDomain } from "@/lib/risk/signals";
import { tokenizeName, tokenizeText, wordForms } from "@/lib/risk/tokenize";
import type { ServerContext } from "@/lib/risk/types";

// What a server is for (payments, permissions, messaging, a database), worked out once per server so classifying
// its tools stays linear in their number.

export interface PreparedServerContext {
  /** Each recognised domain with the evidence for it, e.g. "its name mentions stripe". */
  domains: ReadonlyMap<ServerDomain, string>;
  /** Words of the server's name and description. */
  words: ReadonlySet<string>;
}

/** A reverse-DNS registry namespace (`io.github.someone/`, `com.npmjs/`) at the start of a server's name. */
const REGISTRY_NAMESPACE = /^[a-z0-9-]+(?:\.[a-z0-9_-]+)+\//i;

const DOMAIN_ENTRIES = Object.entries(SERVER_DOMAINS) as [ServerDomain, (typeof SERVER_DOMAINS)[ServerDomain]][];

function firstMatch(words: readonly string[], vocabulary: ReadonlySet<string>): string | undefined {
  return words.find((word) => wordForms(word).some((form) => vocabulary.has(form)));
}

export function prepareServerContext(context: ServerContext = {}): PreparedServerContext {
  const nameWords = typeof context.name === "string" ? tokenizeName(context.name) : [];
  // `io.github.someone/weather weather`: the registry namespace before the first slash, when it is one.
  const unpublishedName = typeof context.name === "string" ? context.name.replace(REGISTRY_NAMESPACE, "") : "";
  const nameWordsPastNamespace = tokenizeName(unpublishedName);
  const descriptionWords = typeof context.description === "string" ? tokenizeText(context.description) : [];
  const siblings = Array.isArray(context.siblingToolNames)
    ? context.siblingToolNames.filter((name): name is string => typeof name === "string")
    : [];
  const siblingWords = siblings.map((name) => tokenizeName(name));

  const domains = new Map<ServerDomain, string>();
  for (const [domain, signal] of DOMAIN_ENTRIES) {
    const words = new Set(signal.words);
    const inName = firstMatch(signal.notInNamespace ? nameWordsPastNamespace : nameWords, words);
    if (inName) {
      domains.set(domain, `its name mentions ${inName}`);
      continue;
    }
    const inDescription = firstMatch(descriptionWords, words);
    if (inDescription) {
      domains.set(domain, `its description mentions ${inDescription}`);
      continue;
    }
    if (NAMED_ONLY_DOMAINS.has(domain)) continue;
    const vocabulary = new Set(signal.siblingWords);
    const matching: string[] = [];
    siblingWords.forEach((words, index) => {
      if (firstMatch(words, vocabulary) !== undefined) matching.push(siblings[index] ?? "");
    });
    if (matching.length >= SIBLING_DOMAIN_THRESHOLD) {
      // Sorted, so the evidence does not depend on the order a server lists its tools in.
      const examples = [...new Set(matching)].sort().slice(0, 2);
      domains.set(domain, `sibling tools such as ${examples.join(" and ")}`);
    }
  }
  return { domains, words: new Set([...nameWords, ...descriptionWords]) };
}
