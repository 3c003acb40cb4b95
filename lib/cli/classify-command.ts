// `portcullis classify FILE`: the console's risk classification, for pipelines and for reviewing a server's tools
// before registering it.
import type { CliCommand, CliIo } from "@/lib/cli/io";
import { classifyTools } from "@/lib/risk";
import type { McpToolDefinition } from "@/lib/risk/types";
import { isPlainObject } from "@/lib/json/is-plain-object";

export const CLASSIFY_USAGE = `Usage: portcullis classify [--server NAME] FILE

Classifies MCP tools by risk and prints one JSON line per tool:
  {"name": ..., "category": ..., "level": ..., "reasons": [...]}

Arguments:
  FILE            A JSON array of tool definitions, a tools/list result ({"tools": [...]}), or a whole
                  JSON-RPC response ({"result": {"tools": [...]}}). Use - to read standard input.

Options:
  --server NAME   The server's name (e.g. stripe, aws-iam): what a server is for informs its tools' risk.
  -h, --help      Show this help.

Exit status: 0 classified; 2 wrong usage or input that is not a list of tools.
`;

const EXIT_OK = 0;
const EXIT_USAGE = 2;

interface Invocation {
  file: string;
  server?: string;
}

function parseArgs(args: string[]): Invocation | string {
  const positional: string[] = [];
  let server: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--server") {
      const next = args[++i];
      if (next === undefined) return "--server needs the server's name.";
      server = next;
    } else if (arg.startsWith("--server=")) server = arg.slice("--server=".length);
    else if (arg.startsWith("-") && arg !== "-") return `Unknown option ${arg}.`;
    else positional.push(arg);
  }
  const [file, ...extra] = positional;
  if (file === undefined) return "Name the file of tools to classify (or - for standard input).";
  if (extra.length > 0) return `Unexpected argument "${extra[0]}": give one file of tools.`;
  return { file, server };
}

/** The file's text, or why it cannot be read, in words that say what to do. */
async function read(io: CliIo, file: string): Promise<{ text: string } | { problem: string }> {
  try {
    return { text: file === "-" ? await io.readStdin() : await io.readFile(file) };
  } catch (e) {
    const code = isPlainObject(e) ? e.code : undefined;
    if (code === "ENOENT") return { problem: `cannot read ${file}: there is no such file; check the path.` };
    if (code === "EACCES") return { problem: `cannot read ${file}: permission denied; check the file's permissions.` };
    if (code === "EISDIR") return { problem: `cannot read ${file}: it is a directory; name a JSON file.` };
    return { problem: `cannot read ${file === "-" ? "standard input" : file}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

const SHAPE_HINT = 'expected a JSON array of tool definitions, {"tools": [...]}, or {"result": {"tools": [...]}}.';

/** The tools in a parsed file, or the sentence saying why there are none. */
function toolsFrom(value: unknown, shown: string): McpToolDefinition[] | string {
  const result = isPlainObject(value) && isPlainObject(value.result) ? value.result : value;
  if (isPlainObject(value) && isPlainObject(value.error)) {
    const { code, message } = value.error;
    return `${shown} holds a JSON-RPC error (${String(code)}: ${String(message)}), not a tools/list result; fix the request and save the response again.`;
  }
  const list = Array.isArray(result) ? result : isPlainObject(result) ? result.tools : undefined;
  if (!Array.isArray(list)) return `${shown} is not a list of tools: ${SHAPE_HINT}`;
  for (const [index, tool] of list.entries()) {
    if (!isPlainObject(tool)) return `tool #${index + 1} in ${shown} is not an object: each tool is a JSON object with a "name".`;
    if (typeof tool.name !== "string" || tool.name.trim() === "") {
      return `tool #${index + 1} in ${shown} has no name: every MCP tool needs a non-empty string "name".`;
    }
  }
  return list as McpToolDefinition[];
}

export const classifyCommand: CliCommand = async (args, io) => {
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout(CLASSIFY_USAGE);
    return EXIT_OK;
  }
  const invocation = parseArgs(args);
  if (typeof invocation === "string") {
    io.stderr(`error: ${invocation}\n\n${CLASSIFY_USAGE}`);
    return EXIT_USAGE;
  }
  const { file, server } = invocation;
  const shown = file === "-" ? "<stdin>" : file;

  const input = await read(io, file);
  if ("problem" in input) {
    io.stderr(`error: ${input.problem}\n`);
    return EXIT_USAGE;
  }
  const { text } = input;
  if (text.trim() === "") {
    io.stderr(`error: ${shown} is empty: ${SHAPE_HINT}\n`);
    return EXIT_USAGE;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    io.stderr(`error: ${shown} is not valid JSON (${(e as Error).message}); save the tools/list response as JSON.\n`);
    return EXIT_USAGE;
  }
  const tools = toolsFrom(value, shown);
  if (typeof tools === "string") {
    io.stderr(`error: ${tools}\n`);
    return EXIT_USAGE;
  }

  const classifications = classifyTools(tools, server === undefined ? {} : { name: server });
  for (const { name, category, level, reasons } of classifications) {
    io.stdout(`${JSON.stringify({ name, category, level, reasons })}\n`);
  }
  return EXIT_OK;
};
