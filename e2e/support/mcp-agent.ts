import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

/** The official SDK client connected to the app's gateway URL for a server, with a grant key, as an agent would. */
export async function connectAgent(baseURL: string, serverId: string, key: string, name = "e2e-agent"): Promise<Client> {
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`/gateway/${serverId}/mcp`, baseURL), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  return client;
}
