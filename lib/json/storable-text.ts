// Text PostgreSQL can store. Its `text` and `jsonb` types refuse U+0000, and `jsonb` (and json-to-text conversion)
// refuse an unpaired UTF-16 surrogate (`"\ud800"`), which is not Unicode text at all. A value holding either, sent
// in a statement shared by several requests, would fail all of them, so such input is refused (or, for text the
// gateway writes itself, replaced) before it reaches a statement. Pure functions.

/** Why a string is not storable, or null when it is. */
export function unstorableReason(text: string): "nul" | "unpaired_surrogate" | null {
  if (text.includes("\u0000")) return "nul";
  return text.isWellFormed() ? null : "unpaired_surrogate";
}

/** A sentence naming what is wrong with `reason`'s character, for people. */
export function describeUnstorable(reason: "nul" | "unpaired_surrogate"): string {
  return reason === "nul" ? "the character U+0000 (NUL)" : "an unpaired UTF-16 surrogate (not valid Unicode)";
}

/** `text` with every U+0000 and unpaired surrogate replaced by U+FFFD, so a row the gateway writes is always storable. */
export function storableText(text: string): string {
  return unstorableReason(text) === null ? text : text.toWellFormed().replaceAll("\u0000", "\uFFFD");
}

/** The same for a nullable field. */
export function storableOrNull(text: string | null): string | null {
  return text === null ? null : storableText(text);
}

export interface UnstorablePlace {
  /** Where, as JSON path segments (keys and indexes) from the value's root. */
  path: (string | number)[];
  reason: "nul" | "unpaired_surrogate";
  /** The key itself is at fault, not the value under it. */
  inKey: boolean;
}

/**
 * Places in a parsed JSON value where a key or a string is not storable, in document order, at most `max`.
 * `allowNulIn` names subtrees (by path) whose string values may hold U+0000 (they are forwarded, never stored);
 * keys there and unpaired surrogates are still refused. Walks with an explicit stack, so depth cannot exhaust it.
 */
export function listUnstorable(
  value: unknown,
  options: { allowNulIn?: (path: readonly (string | number)[]) => boolean; max?: number } = {},
): UnstorablePlace[] {
  const max = options.max ?? Infinity;
  const found: UnstorablePlace[] = [];
  // Each entry links to its parent, so a path is only built for a place found (copying it per level would make a
  // deep value cost the square of its depth).
  type Entry = { node: unknown; parent: Entry | null; segment: string | number };
  const pathOf = (entry: Entry | null, last?: string): (string | number)[] => {
    const path: (string | number)[] = last === undefined ? [] : [last];
    for (let e = entry; e !== null && e.parent !== null; e = e.parent) path.push(e.segment);
    return path.reverse();
  };
  const stack: Entry[] = [{ node: value, parent: null, segment: "" }];
  while (stack.length > 0 && found.length < max) {
    const entry = stack.pop()!;
    const node = entry.node;
    if (typeof node === "string") {
      const reason = unstorableReason(node);
      if (reason === "unpaired_surrogate" || (reason === "nul" && (!options.allowNulIn || !options.allowNulIn(pathOf(entry))))) {
        found.push({ path: pathOf(entry), reason, inKey: false });
      }
      continue;
    }
    if (typeof node !== "object" || node === null) continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], parent: entry, segment: i });
      continue;
    }
    const keys = Object.keys(node);
    const children: Entry[] = [];
    for (const key of keys) {
      const reason = unstorableReason(key);
      // A bad key is reported once; what is under it is not walked.
      if (reason !== null) found.push({ path: pathOf(entry, key), reason, inKey: true });
      else children.push({ node: (node as Record<string, unknown>)[key], parent: entry, segment: key });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return found.slice(0, max);
}

/** The first such place, or null. */
export function findUnstorable(value: unknown, allowNulIn?: (path: readonly (string | number)[]) => boolean): UnstorablePlace | null {
  return listUnstorable(value, { allowNulIn, max: 1 })[0] ?? null;
}

/** A path as people read it (`params.arguments["a b"][0]`), every key escaped so the text itself is storable. */
export function formatJsonPath(path: readonly (string | number)[], root = ""): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === "" ? "(the message)" : out;
}
