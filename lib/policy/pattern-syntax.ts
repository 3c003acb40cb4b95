// A policy `pattern` is a JSON Schema pattern: ECMAScript syntax in Unicode mode. The linear-time engine (RE2)
// reads a different dialect, so a pattern is rewritten for it here, keeping its ECMAScript meaning where the two
// disagree (`.`, `\s`, `\S`, `\u`, `[]`, `[^]`, `[\b]`, `\0`, `\cX`), and the features RE2 cannot run in linear
// time (backreferences, lookahead, lookbehind) are reported instead. The input must already be valid ECMAScript.

export type Re2Translation = { ok: true; text: string } | { ok: false; problem: string };

/** What ECMAScript's `\s` matches (WhiteSpace and LineTerminator), as code point ranges. */
const SPACE_RANGES: readonly (readonly [number, number])[] = [
  [0x9, 0xd],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const MAX_CODE_POINT = 0x10ffff;

const hex = (cp: number) => `\\x{${cp.toString(16)}}`;
const rangeText = (ranges: readonly (readonly [number, number])[]) =>
  ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join("");

function complement(ranges: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/** `\s` and `\S` as the inside of an RE2 character class. */
const SPACE = rangeText(SPACE_RANGES);
const NOT_SPACE = rangeText(complement(SPACE_RANGES));
/** ECMAScript's `.` without the `s` flag: anything but a line terminator (RE2's `.` only leaves out `\n`). */
const DOT = "[^\\n\\r\\x{2028}\\x{2029}]";

const UNSUPPORTED_GROUPS: readonly [string, string][] = [
  ["(?<=", "lookbehind (`(?<=`)"],
  ["(?<!", "negative lookbehind (`(?<!`)"],
  ["(?=", "lookahead (`(?=`)"],
  ["(?!", "negative lookahead (`(?!`)"],
];

const unsupported = (what: string) =>
  `uses ${what}, which the linear-time regular expression engine (RE2) does not support: rewrite the pattern without it (RE2 has no backreferences or lookaround).`;

const isHex = (text: string) => /^[0-9a-fA-F]+$/.test(text);

/** Reads `\uXXXX` (joining an escaped surrogate pair into one code point) or `\u{X...}` at `at`. */
function readUnicodeEscape(source: string, at: number): { codePoint: number; end: number } | null {
  if (source[at + 2] === "{") {
    const close = source.indexOf("}", at + 3);
    const digits = source.slice(at + 3, close);
    return close > 0 && isHex(digits) ? { codePoint: parseInt(digits, 16), end: close + 1 } : null;
  }
  const digits = source.slice(at + 2, at + 6);
  if (digits.length !== 4 || !isHex(digits)) return null;
  const unit = parseInt(digits, 16);
  const low = source.slice(at + 8, at + 12);
  if (unit >= 0xd800 && unit <= 0xdbff && source.startsWith("\\u", at + 6) && low.length === 4 && isHex(low)) {
    const lowUnit = parseInt(low, 16);
    if (lowUnit >= 0xdc00 && lowUnit <= 0xdfff) return { codePoint: 0x10000 + ((unit - 0xd800) << 10) + (lowUnit - 0xdc00), end: at + 12 };
  }
  return { codePoint: unit, end: at + 6 };
}

/** Rewrites a valid ECMAScript (Unicode mode) pattern into RE2 syntax with the same meaning, or says why it cannot. */
export function toRe2Syntax(source: string): Re2Translation {
  let out = "";
  let inClass = false;
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === "\\") {
      const d = source[i + 1] ?? "";
      if (d === "s" || d === "S") {
        const inner = d === "s" ? SPACE : NOT_SPACE;
        out += inClass ? inner : `[${inner}]`;
        i += 2;
      } else if (d === "u") {
        const escape = readUnicodeEscape(source, i);
        if (!escape) return { ok: false, problem: "has a `\\u` escape that is not 4 hexadecimal digits or `{…}`." };
        out += hex(escape.codePoint);
        i = escape.end;
      } else if (d === "c") {
        // ECMAScript's control escape: the letter's code modulo 32.
        out += hex(source.charCodeAt(i + 2) % 32);
        i += 3;
      } else if (d === "0") {
        out += hex(0);
        i += 2;
      } else if (d === "b" && inClass) {
        out += hex(8);
        i += 2;
      } else if (d >= "1" && d <= "9") {
        return { ok: false, problem: unsupported(`a backreference (\`\\${d}\`)`) };
      } else if (d === "k") {
        return { ok: false, problem: unsupported("a named backreference (`\\k<…>`)") };
      } else {
        out += c + d;
        i += 2;
      }
    } else if (inClass) {
      if (c === "]") inClass = false;
      out += c;
      i++;
    } else if (c === "[") {
      const negated = source[i + 1] === "^";
      const start = negated ? i + 2 : i + 1;
      if (source[start] === "]") {
        // `[]` never matches and `[^]` matches any character; RE2 reads a `]` there as a literal.
        out += negated ? `[${hex(0)}-${hex(MAX_CODE_POINT)}]` : `[^${hex(0)}-${hex(MAX_CODE_POINT)}]`;
        i = start + 1;
      } else {
        out += negated ? "[^" : "[";
        inClass = true;
        i = start;
      }
    } else if (c === ".") {
      out += DOT;
      i++;
    } else if (c === "(") {
      const group = UNSUPPORTED_GROUPS.find(([opener]) => source.startsWith(opener, i));
      if (group) return { ok: false, problem: unsupported(group[1]) };
      out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return { ok: true, text: out };
}
