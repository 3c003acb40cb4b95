// What a CLI command gets to talk to the world, so commands are testable without spawning processes.
export interface CliIo {
  readStdin(): Promise<string>;
  readFile(path: string): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A CLI command: arguments after the command name in, exit code out. */
export type CliCommand = (args: string[], io: CliIo) => Promise<number>;
