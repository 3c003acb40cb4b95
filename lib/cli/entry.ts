import { main, processIo } from "@/lib/cli/main";

// The process entry of `portcullis` (see packages/cli/bin/portcullis.mjs).
main(process.argv.slice(2), processIo).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`portcullis: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
