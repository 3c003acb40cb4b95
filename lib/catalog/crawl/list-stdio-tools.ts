import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { LISTING_LIMITS } from "@/lib/catalog/crawl/clean-listing";
import { CrawlError, errorMessage, stderrSummary } from "@/lib/catalog/crawl/crawl-error";
import type { LaunchCommand } from "@/lib/catalog/crawl/launch-command";
import { DISCOVERY_CAPABILITIES } from "@/lib/upstream/discover-tools";
import { APP_VERSION } from "@/lib/version";

// Starts a server over stdio with the official SDK client, runs initialize and every page of tools/list, and stops
// it, all within one time limit. The listing is bounded like a registered server's: 10 MB of tools (and of any one
// message), 5,000 tools, 200 pages. Whatever fails becomes a CrawlError whose sentence says what the server did.

export interface StdioListing {
  tools: unknown[];
  serverInfo: { name?: string; version?: string } | null;
  protocolVersion: string | null;
}

const MAX_PAGES = 200;
const STDERR_KEPT = 16 * 1024;

export async function listStdioTools(launch: LaunchCommand & { cwd: string }, options: { timeoutMs: number }): Promise<StdioListing> {
  const transport = new StdioClientTransport({
    command: launch.command,
    args: launch.args,
    cwd: launch.cwd,
    // For `env` alone: the launch command's `env -i` decides what the server gets.
    env: { PATH: "/usr/local/bin:/usr/bin:/bin" },
    stderr: "pipe",
    maxBufferSize: LISTING_LIMITS.maxBytes,
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-STDERR_KEPT);
  });
  let protocolVersion: string | null = null;
  // The client tells its transport the version agreed at initialize; the stdio transport has no use for it.
  (transport as Transport).setProtocolVersion = (version: string) => void (protocolVersion = version);

  const client = new Client({ name: "portcullis-catalog", version: APP_VERSION }, { capabilities: DISCOVERY_CAPABILITIES });
  let transportError: Error | undefined;
  client.onerror = (error) => void (transportError ??= error);
  let exited = false;
  client.onclose = () => void (exited = true);

  let phase = "start";
  const seconds = Number((options.timeoutMs / 1000).toFixed(1));
  const said = () => {
    const summary = stderrSummary(stderr);
    return summary ? ` Its last words on stderr: "${summary}"` : "";
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CrawlError(`The server did not finish ${phase} within ${seconds} s.${said()}`)), options.timeoutMs);
  });

  const listing = (async (): Promise<StdioListing> => {
    phase = "initialize";
    await client.connect(transport, { timeout: options.timeoutMs });
    const tools: unknown[] = [];
    let bytes = 0;
    let cursor: string | undefined;
    for (let page = 1; ; page++) {
      phase = page === 1 ? "tools/list" : `tools/list (page ${page})`;
      const result = await client.listTools(cursor ? { cursor } : {}, { timeout: options.timeoutMs });
      tools.push(...result.tools);
      bytes += Buffer.byteLength(JSON.stringify(result.tools), "utf8");
      if (tools.length > LISTING_LIMITS.maxTools) throw new CrawlError(`The server listed more than ${LISTING_LIMITS.maxTools.toLocaleString("en")} tools; the catalog takes at most that many from one server.`);
      if (bytes > LISTING_LIMITS.maxBytes) throw new CrawlError(`The server's tools came to more than ${LISTING_LIMITS.maxBytes / 1024 / 1024} MB of JSON; the catalog takes at most that much from one server.`);
      cursor = result.nextCursor;
      if (!cursor) break;
      if (page === MAX_PAGES) throw new CrawlError(`The server kept sending more pages of tools after ${MAX_PAGES}; the catalog stops there.`);
    }
    const info = client.getServerVersion();
    return { tools, serverInfo: info ? { name: info.name, version: info.version } : null, protocolVersion };
  })();

  try {
    return await Promise.race([listing, deadline]);
  } catch (error) {
    if (error instanceof CrawlError) throw error;
    throw new CrawlError(failureSentence(error, { phase, exited, transportError, said: said() }));
  } finally {
    clearTimeout(timer);
    listing.catch(() => {});
    // close() ends stdin, then sends SIGTERM and SIGKILL two seconds apart; the PID namespace takes the rest.
    await Promise.race([client.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 6_000))]);
  }
}

function failureSentence(error: unknown, context: { phase: string; exited: boolean; transportError?: Error; said: string }): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  if (code === "ENOENT") return `The server's command could not be started (${message}).`;
  if (context.transportError && /ReadBuffer exceeded/.test(context.transportError.message)) {
    return `The server sent a message over ${LISTING_LIMITS.maxBytes / 1024 / 1024} MB during ${context.phase}; the catalog stops reading there.`;
  }
  if (context.exited || code === -32000) return `The server exited during ${context.phase}.${context.said}`;
  if (code === -32001) return `The server did not answer ${context.phase} in time.${context.said}`;
  return `The server answered ${context.phase} with an error: ${errorMessage(message)}.${context.said}`;
}
