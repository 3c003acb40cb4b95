// A JSON parser that remembers where every value is, so errors found by JSON Pointer can be shown at their line.
// JSON.parse gives neither positions nor duplicate keys (it silently keeps the last one), hence this small parser.
import type { JsonValue } from "@/lib/policy/types";

/** 1-based line and column; columns count UTF-16 code units, as browser editors do. */
export interface SourcePosition {
  line: number;
  column: number;
  offset: number;
}

export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

export interface JsonSyntaxError {
  message: string;
  position: SourcePosition;
}

interface NodeSpan {
  start: number;
  end: number;
  keyStart?: number;
  keyEnd?: number;
  container: boolean;
}

/** Where each value of a parsed document is, by JSON Pointer. */
export interface JsonSourceMap {
  readonly text: string;
  readonly spans: ReadonlyMap<string, NodeSpan>;
  readonly lineStarts: readonly number[];
}

export type JsonParseResult =
  | { ok: true; value: JsonValue; sourceMap: JsonSourceMap; duplicateKeys: string[] }
  | { ok: false; error: JsonSyntaxError };

/** Deeper nesting than this is refused rather than risking the call stack. */
const MAX_DEPTH = 200;

export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((s) => "/" + escapePointerSegment(String(s))).join("");
}

export function pointerChild(pointer: string, segment: string | number): string {
  return pointer + "/" + escapePointerSegment(String(segment));
}

export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function computeLineStarts(text: string): number[] {
  // A byte order mark is invisible in editors, so line 1 starts after it.
  const starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

function positionIn(lineStarts: readonly number[], offset: number): SourcePosition {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  const lineStart = lineStarts[lo] ?? 0;
  return { line: lo + 1, column: Math.max(1, offset - lineStart + 1), offset };
}

export function offsetToPosition(text: string, offset: number): SourcePosition {
  return positionIn(computeLineStarts(text), offset);
}

class SyntaxFailure {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

function show(c: string): string {
  if (c === "") return "the end of the document";
  const code = c.charCodeAt(0);
  if (code < 0x20) return `a control character (U+${code.toString(16).padStart(4, "0").toUpperCase()})`;
  return `\`${c}\``;
}

class Parser {
  i = 0;
  readonly spans = new Map<string, NodeSpan>();
  readonly duplicateKeys: string[] = [];

  constructor(readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.i = 1;
  }

  fail(message: string, offset = this.i): never {
    throw new SyntaxFailure(message, offset);
  }

  skipWhitespace(): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else if (c === 47 && (t[this.i + 1] === "/" || t[this.i + 1] === "*")) this.fail("JSON does not allow comments: remove it.");
      else return;
    }
  }

  parseDocument(): JsonValue {
    this.skipWhitespace();
    if (this.i >= this.text.length) this.fail("The document is empty: expected a JSON object such as {\"version\": \"1\", ...}.");
    const value = this.parseValue("", 0);
    this.skipWhitespace();
    if (this.i < this.text.length) {
      this.fail(`Unexpected ${show(this.text[this.i] ?? "")} after the end of the JSON value: a document holds exactly one value.`);
    }
    return value;
  }

  parseValue(pointer: string, depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail(`The document is nested more than ${MAX_DEPTH} levels deep.`);
    const start = this.i;
    const c = this.text[this.i] ?? "";
    let value: JsonValue;
    let container = false;
    if (c === "{") {
      value = this.parseObject(pointer, depth);
      container = true;
    } else if (c === "[") {
      value = this.parseArray(pointer, depth);
      container = true;
    } else if (c === '"') value = this.parseString();
    else if (c === "-" || (c >= "0" && c <= "9")) value = this.parseNumber();
    else if (this.text.startsWith("true", this.i)) value = this.literal("true", true);
    else if (this.text.startsWith("false", this.i)) value = this.literal("false", false);
    else if (this.text.startsWith("null", this.i)) value = this.literal("null", null);
    else if (c === "'") this.fail("Strings must be in double quotes (\"), not single quotes.");
    else if (c === "") this.fail("The document ends too early: a value is missing.");
    else if (c === "}" || c === "]") this.fail(`Unexpected ${show(c)}: a value is missing here.`);
    else this.fail(`Unexpected ${show(c)}: expected a value (a string in double quotes, a number, true, false, null, an object or an array).`);
    const existing = this.spans.get(pointer);
    this.spans.set(pointer, { ...existing, start, end: this.i, container });
    return value;
  }

  literal<T extends JsonValue>(word: string, value: T): T {
    this.i += word.length;
    return value;
  }

  parseNumber(): number {
    const re = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    re.lastIndex = this.i;
    const m = re.exec(this.text);
    if (!m) this.fail("This is not a valid number: JSON numbers look like 10, -2.5 or 1e3.");
    const next = this.text[this.i + m[0].length] ?? "";
    if (/[0-9.eE]/.test(next)) this.fail("This is not a valid number: JSON numbers have no leading zeros and no trailing dot.");
    this.i += m[0].length;
    return Number(m[0]);
  }

  parseString(): string {
    const t = this.text;
    const start = this.i;
    let j = this.i + 1;
    for (;;) {
      if (j >= t.length) this.fail("This string is never closed: add the closing double quote.", start);
      const c = t.charCodeAt(j);
      if (c === 34) break;
      if (c < 0x20) {
        this.fail(
          c === 10 || c === 13
            ? "This string is never closed on its line: a line break inside a string must be written \\n."
            : `A string may not contain ${show(t[j] ?? "")}: write it as an escape such as \\t or \\u0000.`,
          j,
        );
      }
      if (c === 92) {
        const e = t[j + 1] ?? "";
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(j + 2, j + 6))) this.fail("A \\u escape needs exactly four hexadecimal digits.", j);
          j += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e) || e === "") this.fail(`\\${e} is not a JSON escape: use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX.`, j);
        j += 2;
        continue;
      }
      j++;
    }
    this.i = j + 1;
    return JSON.parse(t.slice(start, j + 1)) as string;
  }

  parseObject(pointer: string, depth: number): JsonValue {
    this.i++;
    const result: { [key: string]: JsonValue } = {};
    const seen = new Set<string>();
    this.skipWhitespace();
    if (this.text[this.i] === "}") {
      this.i++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      const c = this.text[this.i] ?? "";
      if (c !== '"') {
        if (c === "}") this.fail("Trailing comma: JSON does not allow a comma after the last property.", this.lastComma());
        if (c === "'") this.fail("Property names must be in double quotes (\"), not single quotes.");
        if (/[A-Za-z_$]/.test(c)) this.fail("Property names must be in double quotes: write \"name\": value.");
        this.fail(`Unexpected ${show(c)}: expected a property name in double quotes.`);
      }
      const keyStart = this.i;
      const key = this.parseString();
      const keyEnd = this.i;
      const childPointer = pointerChild(pointer, key);
      if (seen.has(key)) this.duplicateKeys.push(childPointer);
      seen.add(key);
      this.skipWhitespace();
      if (this.text[this.i] !== ":") this.fail(`Expected \`:\` after the property name ${JSON.stringify(key)}, found ${show(this.text[this.i] ?? "")}.`);
      this.i++;
      this.skipWhitespace();
      this.spans.set(childPointer, { start: this.i, end: this.i, keyStart, keyEnd, container: false });
      const value = this.parseValue(childPointer, depth + 1);
      // defineProperty, so a key named "__proto__" is data like any other, as with JSON.parse.
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const next = this.text[this.i] ?? "";
      if (next === ",") {
        this.i++;
        continue;
      }
      if (next === "}") {
        this.i++;
        return result;
      }
      if (next === '"') this.fail("Expected `,` between properties: a comma is missing before this one.");
      this.fail(`Expected \`,\` or \`}\` after the value of ${JSON.stringify(key)}, found ${show(next)}.`);
    }
  }

  parseArray(pointer: string, depth: number): JsonValue {
    this.i++;
    const result: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.i] === "]") {
      this.i++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.i] === "]") this.fail("Trailing comma: JSON does not allow a comma after the last item.", this.lastComma());
      result.push(this.parseValue(pointerChild(pointer, result.length), depth + 1));
      this.skipWhitespace();
      const next = this.text[this.i] ?? "";
      if (next === ",") {
        this.i++;
        continue;
      }
      if (next === "]") {
        this.i++;
        return result;
      }
      this.fail(`Expected \`,\` or \`]\` after an array item, found ${show(next)}.`);
    }
  }

  lastComma(): number {
    const at = this.text.lastIndexOf(",", this.i);
    return at >= 0 ? at : this.i;
  }
}

/** Parses JSON text, keeping the position of every value; syntax errors come with their line and column. */
export function parseJsonWithSourceMap(text: string): JsonParseResult {
  const parser = new Parser(text);
  try {
    const value = parser.parseDocument();
    return {
      ok: true,
      value,
      sourceMap: { text, spans: parser.spans, lineStarts: computeLineStarts(text) },
      duplicateKeys: parser.duplicateKeys,
    };
  } catch (e) {
    if (!(e instanceof SyntaxFailure)) throw e;
    return { ok: false, error: { message: e.message, position: positionIn(computeLineStarts(text), e.offset) } };
  }
}

/**
 * Where the value at a JSON Pointer is written. A scalar is marked with its key (`"max": 0`); an object or array by
 * its key alone, or its opening bracket, so a whole block is not underlined. A pointer that does not exist (a missing
 * key) resolves to its closest existing ancestor.
 */
export function locatePointer(sourceMap: JsonSourceMap, pointer: string): SourceRange {
  let p = pointer;
  let span = sourceMap.spans.get(p);
  while (!span && p !== "") {
    p = p.slice(0, p.lastIndexOf("/"));
    span = sourceMap.spans.get(p);
  }
  const at = (offset: number) => positionIn(sourceMap.lineStarts, offset);
  if (!span) return { start: at(0), end: at(0) };
  if (span.container) {
    if (span.keyStart !== undefined && span.keyEnd !== undefined) return { start: at(span.keyStart), end: at(span.keyEnd) };
    return { start: at(span.start), end: at(span.start + 1) };
  }
  return { start: at(span.keyStart ?? span.start), end: at(span.end) };
}

/** Maps a JSON Pointer to its line and column in `text` (null when the text is not valid JSON). */
export function jsonPointerPosition(text: string, pointer: string): SourcePosition | null {
  const parsed = parseJsonWithSourceMap(text);
  return parsed.ok ? locatePointer(parsed.sourceMap, pointer).start : null;
}
