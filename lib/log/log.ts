// The server's log: one line per event, as JSON for log collectors or as text for a person at a terminal.
//
// PORTCULLIS_LOG_FORMAT=json|text chooses; unset, a terminal gets text and anything else (a container's log driver, a
// pipe, a file) gets JSON. A JSON line is {"time","level","component","msg", ...fields}; a text line is
// "[component] msg key=value ...". Fields whose names say they hold a secret (a key, token, password, cookie,
// authorization, credential) are written as "[redacted]", at any depth, so a careless call cannot leak one; errors are
// written as their name, message and SQLSTATE. Info goes to stdout, warnings and errors to stderr.

export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;
export type LogFormat = "json" | "text";

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Names of fields that may hold a secret: never written. `keyHash`, `requestId` and the like are not secrets. */
const SECRET_WORD = /authorization|cookie|password|passphrase|secret|token|credential/i;
/** `key`, `api_key`, `x-api-key`, `grantKey`: a name that ends in the word "key" (so not `monkey` or `keyHash`). */
const isSecretField = (name: string) => SECRET_WORD.test(name) || /(^|[_-])key$/i.test(name) || /[a-z]Key$/.test(name);
const MAX_STRING = 4_000;
const MAX_DEPTH = 5;

export const REDACTED = "[redacted]";

/** A field's value as it is written: secrets out, errors as their parts, long strings cut, no cycles. */
export function logValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} characters)` : value;
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return typeof value === "function" || typeof value === "symbol" ? String(value) : value;
  if (seen.has(value) || depth >= MAX_DEPTH) return "[…]";
  seen.add(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: logValue(value.message, depth + 1, seen), ...(typeof code === "string" ? { code } : {}) };
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => logValue(v, depth + 1, seen));
  const out: LogFields = {};
  for (const [name, v] of Object.entries(value)) out[name] = isSecretField(name) ? REDACTED : logValue(v, depth + 1, seen);
  return out;
}

export function logFormat(env: Record<string, string | undefined> = process.env, isTerminal = Boolean(process.stdout.isTTY)): LogFormat {
  const chosen = env.PORTCULLIS_LOG_FORMAT;
  if (chosen === "json" || chosen === "text") return chosen;
  return isTerminal ? "text" : "json";
}

/** One event as its line (without the newline). */
export function formatLine(format: LogFormat, level: LogLevel, component: string, msg: string, fields: LogFields = {}, now = new Date()): string {
  const clean = logValue(fields) as LogFields;
  if (format === "json") {
    // Reserved names come first and cannot be overwritten by a field.
    const { time: _t, level: _l, component: _c, msg: _m, ...rest } = clean;
    return JSON.stringify({ time: now.toISOString(), level, component, msg, ...rest });
  }
  const parts = Object.entries(clean).map(([name, value]) => `${name}=${typeof value === "string" && !/\s/.test(value) ? value : JSON.stringify(value)}`);
  return `[${component}] ${msg}${parts.length ? ` ${parts.join(" ")}` : ""}`;
}

export interface LoggerOptions {
  format?: LogFormat;
  /** Where lines go; defaults to stdout for info and stderr for the rest. */
  write?: (level: LogLevel, line: string) => void;
}

const defaultWrite = (level: LogLevel, line: string) => (level === "info" ? process.stdout : process.stderr).write(`${line}\n`);

export function createLogger(component: string, options: LoggerOptions = {}): Logger {
  // Read when the first line is written, so a process that sets PORTCULLIS_LOG_FORMAT early is obeyed.
  let format = options.format;
  const write = options.write ?? defaultWrite;
  const emit = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    format ??= logFormat();
    write(level, formatLine(format, level, component, msg, fields));
  };
  return { info: emit("info"), warn: emit("warn"), error: emit("error") };
}
