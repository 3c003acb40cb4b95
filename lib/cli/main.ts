import { readFile } from "node:fs/promises";
import { classifyCommand } from "@/lib/cli/classify-command";
import type { CliCommand, CliIo } from "@/lib/cli/io";
import { policyCommand } from "@/lib/cli/policy-command";

// `portcullis <command>`: the command-line tools, for pipelines. Each command is a function of its arguments and
// an io object, tested without spawning processes; this file only dispatches.

const USAGE = `Usage: portcullis <command> [arguments]

Commands:
  classify FILE                 Classify MCP tools (a JSON array of tool definitions or a tools/list result;
                                - reads stdin). Prints one JSON line per tool: name, category, level, reasons.
  policy validate FILE          Check a policy document; errors with their JSON paths on stderr.
  policy test FILE              Validate, then run the policy's example calls against it.

Exit codes: 0 success, 1 invalid or failing, 2 usage or input errors.
`;

const commands: Record<string, CliCommand> = { classify: classifyCommand, policy: policyCommand };

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`portcullis: unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  return command(rest, io);
}

export const processIo: CliIo = {
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
  readFile: (path) => readFile(path, "utf8"),
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};
