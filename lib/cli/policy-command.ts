// `portcullis policy validate|test FILE`: the policy checks of the console, for pipelines.
import type { CliCommand, CliIo } from "@/lib/cli/io";
import { checkPolicyText, type LocatedIssue } from "@/lib/policy/check";
import { isPlainObject } from "@/lib/json/is-plain-object";
import { plural } from "@/lib/policy/describe";

export const POLICY_USAGE = `Usage: portcullis policy <validate|test> FILE [--tools TOOLS_FILE]

Commands:
  validate FILE   Check a policy document: JSON syntax, every field, shared counters.
  test FILE       Validate, then run the example calls in its "tests" and compare their decisions.

Arguments:
  FILE            The policy document (JSON), or - to read it from standard input.

Options:
  --tools TOOLS_FILE  The server's tools, to warn about rules for tools it does not have: a JSON array of
                      names, of {"name": ...} objects, or a tools/list result ({"tools": [...]}).
  -h, --help          Show this help.

Errors go to standard error as FILE:LINE:COLUMN with the JSON Pointer of the problem; warnings start with
"warning:". Exit status: 0 valid (and, for test, every example passes); 1 invalid or an example fails;
2 wrong usage or a file that cannot be read.
`;

const EXIT_OK = 0;
const EXIT_INVALID = 1;
const EXIT_USAGE = 2;

interface Invocation {
  command: "validate" | "test";
  file: string;
  toolsFile?: string;
}

function parseArgs(args: string[]): Invocation | string {
  const positional: string[] = [];
  let toolsFile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--tools") {
      const next = args[++i];
      if (next === undefined) return "--tools needs a file name.";
      toolsFile = next;
    } else if (arg.startsWith("--tools=")) toolsFile = arg.slice("--tools=".length);
    else if (arg.startsWith("-") && arg !== "-") return `Unknown option ${arg}.`;
    else positional.push(arg);
  }
  const [command, file, ...extra] = positional;
  if (command === undefined) return "Name a command: validate or test.";
  if (command !== "validate" && command !== "test") return `Unknown command "${command}": use validate or test.`;
  if (file === undefined) return `Name the policy file to ${command} (or - for standard input).`;
  if (extra.length > 0) return `Unexpected argument "${extra[0]}": give one policy file.`;
  return { command, file, toolsFile };
}

function toolNamesFrom(text: string): string[] | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return `it is not valid JSON (${(e as Error).message}).`;
  }
  const list = isPlainObject(value) && Array.isArray(value.tools) ? value.tools : value;
  if (!Array.isArray(list)) return 'expected an array of tool names, of {"name": ...} objects, or {"tools": [...]}.';
  const names: string[] = [];
  for (const item of list) {
    if (typeof item === "string") names.push(item);
    else if (isPlainObject(item) && typeof item.name === "string") names.push(item.name);
    else return 'every tool must be a name or an object with a "name".';
  }
  return names;
}

async function read(io: CliIo, file: string): Promise<string | Error> {
  try {
    return file === "-" ? await io.readStdin() : await io.readFile(file);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

function report(io: CliIo, kind: "error" | "warning", file: string, issue: LocatedIssue): void {
  const { line, column } = issue.range.start;
  const where = issue.path === "" ? "" : `${issue.path}: `;
  io.stderr(`${kind}: ${file}:${line}:${column}: ${where}${issue.message}\n`);
}

export const policyCommand: CliCommand = async (args, io) => {
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout(POLICY_USAGE);
    return EXIT_OK;
  }
  const invocation = parseArgs(args);
  if (typeof invocation === "string") {
    io.stderr(`error: ${invocation}\n\n${POLICY_USAGE}`);
    return EXIT_USAGE;
  }
  const { command, file, toolsFile } = invocation;
  const shownFile = file === "-" ? "<stdin>" : file;

  let toolNames: string[] | undefined;
  if (toolsFile !== undefined) {
    const toolsText = await read(io, toolsFile);
    if (toolsText instanceof Error) {
      io.stderr(`error: cannot read the tools file ${toolsFile}: ${toolsText.message}\n`);
      return EXIT_USAGE;
    }
    const names = toolNamesFrom(toolsText);
    if (typeof names === "string") {
      io.stderr(`error: cannot use the tools file ${toolsFile}: ${names}\n`);
      return EXIT_USAGE;
    }
    toolNames = names;
  }

  const text = await read(io, file);
  if (text instanceof Error) {
    io.stderr(`error: cannot read ${shownFile}: ${text.message}\n`);
    return EXIT_USAGE;
  }

  const check = checkPolicyText(text, { toolNames });
  for (const error of check.errors) report(io, "error", shownFile, error);
  for (const warning of check.warnings) report(io, "warning", shownFile, warning);
  if (!check.document || check.errors.length > 0) {
    io.stderr(`${shownFile}: invalid policy, ${plural(check.errors.length, "error")}.\n`);
    return EXIT_INVALID;
  }

  const rules = plural(Object.keys(check.document.tools).length, "rule");
  const warnings = check.warnings.length > 0 ? `, ${plural(check.warnings.length, "warning")}` : "";
  const examples = check.tests?.results.length ?? 0;
  if (command === "validate") {
    const hint = examples > 0 ? `; ${plural(examples, "example")}, run them with "portcullis policy test"` : "";
    io.stdout(`${shownFile}: valid policy (${rules}, default ${check.document.default}${warnings}${hint}).\n`);
    return EXIT_OK;
  }

  for (const failure of check.testFailures) report(io, "error", shownFile, failure);
  if (check.testFailures.length > 0) {
    io.stderr(`${shownFile}: ${check.testFailures.length} of ${plural(examples, "example")} failed.\n`);
    return EXIT_INVALID;
  }
  const summary = `(${rules}, default ${check.document.default}${warnings})`;
  if (examples === 0) io.stdout(`${shownFile}: valid policy ${summary}; it has no examples to run (add some under "tests").\n`);
  else io.stdout(`${shownFile}: ${examples === 1 ? "the 1 example passed" : `all ${examples} examples passed`} ${summary}.\n`);
  return EXIT_OK;
};
