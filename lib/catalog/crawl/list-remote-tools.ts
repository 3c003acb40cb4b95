import { CrawlError } from "@/lib/catalog/crawl/crawl-error";
import type { UpstreamNetworks } from "@/lib/upstream/address-policy";
import { discoverTools } from "@/lib/upstream/discover-tools";
import { UpstreamError } from "@/lib/upstream/upstream-error";

// A remote (Streamable HTTP) catalog entry is listed the way a registered server is: the SDK client over the
// address-checked fetch, so a catalog URL can reach no address a registered server could not.

export interface RemoteListing {
  tools: unknown[];
  serverInfo: { name?: string; version?: string } | null;
  protocolVersion: string | null;
}

export async function listRemoteTools(url: string, options: { networks: UpstreamNetworks; timeoutMs: number }): Promise<RemoteListing> {
  try {
    const found = await discoverTools({ url, transport: "streamable_http", networks: options.networks, timeoutMs: options.timeoutMs });
    const info = found.serverInfo;
    return {
      tools: found.tools,
      serverInfo: info ? { name: info.name, version: info.version } : null,
      protocolVersion: found.protocolVersion,
    };
  } catch (error) {
    if (error instanceof UpstreamError) throw new CrawlError(error.message);
    throw new CrawlError(`Listing ${url} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
