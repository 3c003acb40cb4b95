// JSON text whose bytes depend only on the value, never on the order a server happened to send keys in: a rerun that
// lists the same tools writes the same file, and a diff shows only what changed. Known levels put their keys in a
// reading order (name before description before schema); every other object has its keys in code-unit order.

/** Key order for one level of a document, and the shapes of the levels below it. */
export interface KeyShape {
  /** Keys written first, in this order; the rest follow sorted. */
  first?: readonly string[];
  /** Shapes of named children (objects, or arrays of objects). */
  children?: Readonly<Record<string, KeyShape>>;
}

/** `value` as 2-space-indented JSON with a trailing newline, keys ordered by `shape`. */
export function stableJson(value: unknown, shape: KeyShape = {}): string {
  return `${JSON.stringify(ordered(value, shape), null, 2)}\n`;
}

/** A copy of `value` whose objects were built in the stable key order (JSON.stringify keeps insertion order). */
export function ordered(value: unknown, shape: KeyShape = {}): unknown {
  if (Array.isArray(value)) return value.map((item) => ordered(item, shape));
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  const first = shape.first ?? [];
  const keys = Object.keys(record).filter((key) => record[key] !== undefined);
  const rest = keys.filter((key) => !first.includes(key)).sort();
  // Built with defineProperty so a key such as "__proto__" stays an ordinary key.
  const out: Record<string, unknown> = {};
  for (const key of [...first.filter((key) => keys.includes(key)), ...rest]) {
    Object.defineProperty(out, key, { value: ordered(record[key], shape.children?.[key] ?? {}), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
