import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { CrawlError, plainText } from "@/lib/catalog/crawl/crawl-error";

// Installs one npm package into its own folder with install scripts off (nothing of the package runs here), and
// finds the command that starts it. npm may install another version than asked (one whose engines fit this Node):
// the version actually installed is the one returned.

export interface InstalledPackage {
  version: string;
  /** The package's command: an absolute path to the file npm linked as its bin. */
  program: string;
  /** Folders of the commands its dependencies provide. */
  binDirs: string[];
}

export async function installPackage(identifier: string, version: string, prefix: string, options: { bin?: string; timeoutMs?: number } = {}): Promise<InstalledPackage> {
  const args = ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--no-save", "--loglevel=error", "--prefix", prefix, `${identifier}@${version}`];
  await new Promise<void>((resolve, reject) => {
    // SIGKILL: an npm stalled on the network was seen to outlive SIGTERM; its folder is deleted anyway.
    execFile("npm", args, { timeout: options.timeoutMs ?? 300_000, killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const lines = String(stderr).split("\n").filter((line) => /npm (error|ERR!)/.test(line) && !/A complete log/.test(line));
      const detail = plainText(lines.slice(0, 3).join(" ") || error.message, 300);
      reject(new CrawlError(error.killed ? `npm did not finish installing ${identifier}@${version} in time.` : `npm could not install ${identifier}@${version}: ${detail}`));
    });
  });
  const packageDir = path.join(prefix, "node_modules", identifier);
  const manifest = JSON.parse(await readFile(path.join(packageDir, "package.json"), "utf8")) as { version?: string; bin?: string | Record<string, string> };
  const program = pickBin(identifier, manifest.bin, options.bin);
  return { version: manifest.version ?? version, program: path.resolve(packageDir, program), binDirs: [path.join(prefix, "node_modules", ".bin")] };
}

/** The relative path of the command to run: the one named, the only one, or the one named like the package. */
export function pickBin(identifier: string, bin: string | Record<string, string> | undefined, wanted?: string): string {
  if (typeof bin === "string") return bin;
  const entries = Object.entries(bin ?? {});
  if (wanted) {
    const found = entries.find(([name]) => name === wanted);
    if (!found) throw new CrawlError(`${identifier} has no command named ${wanted} (it has ${entries.map(([name]) => name).join(", ") || "none"}).`);
    return found[1];
  }
  if (entries.length === 1) return entries[0]![1];
  const own = identifier.replace(/^@[^/]+\//, "");
  const named = entries.find(([name]) => name === own);
  if (named) return named[1];
  if (entries.length === 0) throw new CrawlError(`${identifier} has no command to start (no "bin" in its package.json).`);
  throw new CrawlError(`${identifier} has several commands (${entries.map(([name]) => name).join(", ")}): name one in the source's crawl.bin.`);
}
