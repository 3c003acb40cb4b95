import { cleanProse } from "@/lib/catalog/clean-text";
import { MAX_JSON_DEPTH } from "@/lib/catalog/limits";

// A JSON value from an untrusted entry (a schema, a package, annotations), copied with every string and key cleaned
// like prose (lib/catalog/clean-text.ts) so it can be stored and shown. Walks with an explicit stack: no depth of
// input can exhaust the call stack; values nested deeper than `maxDepth` are reported, not copied.

export interface CleanedJson {
  value: unknown;
  changed: boolean;
  tooDeep: boolean;
}

type Container = Record<string, unknown> | unknown[];

export function cleanJson(input: unknown, maxDepth = MAX_JSON_DEPTH): CleanedJson {
  let changed = false;
  let tooDeep = false;
  const root: unknown[] = [];
  const stack: { source: unknown; depth: number; parent: Container; key: string | number }[] = [
    { source: input, depth: 0, parent: root, key: 0 },
  ];
  while (stack.length > 0) {
    const { source, depth, parent, key } = stack.pop()!;
    let out: unknown = source;
    if (typeof source === "string") {
      const cleaned = cleanProse(source);
      changed ||= cleaned.changed;
      out = cleaned.text;
    } else if (typeof source === "object" && source !== null) {
      if (depth >= maxDepth) {
        tooDeep = true;
        out = Array.isArray(source) ? [] : {};
      } else if (Array.isArray(source)) {
        const copy: unknown[] = new Array(source.length);
        for (let i = 0; i < source.length; i++) stack.push({ source: source[i], depth: depth + 1, parent: copy, key: i });
        out = copy;
      } else {
        const copy: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(source)) {
          const cleaned = cleanProse(name);
          changed ||= cleaned.changed;
          if (Object.hasOwn(copy, cleaned.text)) continue; // two keys that differed only in hidden characters
          stack.push({ source: value, depth: depth + 1, parent: copy, key: cleaned.text });
          setOwn(copy, cleaned.text, null);
        }
        out = copy;
      }
    }
    if (Array.isArray(parent)) parent[key as number] = out;
    else setOwn(parent, key as string, out);
  }
  return { value: root[0], changed, tooDeep };
}

/** Plain assignment would treat a key named `__proto__` as the object's prototype; this makes it an ordinary key. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** How deeply a value nests (a scalar is 0), without recursion. */
export function jsonDepth(input: unknown, stopAt = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[input, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth + 1 > deepest) deepest = depth + 1;
    if (deepest > stopAt) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}
