// Ready-to-paste configuration that points an MCP client at a gateway URL with a grant key. Pure: strings in,
// strings out, so every snippet is checked by a test rather than by eye.

export const GRANT_KEY_PLACEHOLDER = "<your grant key>";

export type ConnectClient = "claude-code" | "cursor" | "vscode" | "claude-desktop" | "inspector";

export interface ConnectSnippet {
  client: ConnectClient;
  /** The client's name, for the tab. */
  label: string;
  format: "shell" | "json";
  /** The file the snippet goes in, or "Terminal" for a command. */
  location: string;
  /** Where to put it or run it, in a sentence. */
  hint: string;
  text: string;
}

export interface ConnectInput {
  /** The server's name in Portcullis; it becomes the entry's name in the client (see serverIdentifier). */
  serverName: string;
  /** The gateway URL (see gatewayUrl). */
  url: string;
  /** The grant key, only right after it was created; the placeholder otherwise. */
  key?: string | null;
}

/** A name every client accepts for the entry, and that needs no quoting in a shell: a-z, 0-9 and dashes. */
export function serverIdentifier(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 48)
    .replace(/^-+|-+$/g, "");
  return slug || "portcullis";
}

/** A word for a POSIX shell: as is when it is plainly safe, else single-quoted. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A double-quoted shell string (the form people expect for a header), with the characters a shell expands escaped. */
function shellDoubleQuoted(value: string): string {
  return `"${value.replace(/[\\"$`]/g, "\\$&")}"`;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** mcp-remote refuses plain http except to localhost and 127.0.0.1 unless told otherwise. */
function needsAllowHttp(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === "http:" && hostname !== "localhost" && hostname !== "127.0.0.1";
}

/** One snippet per client, in the order the console shows them. */
export function connectSnippets({ serverName, url, key }: ConnectInput): ConnectSnippet[] {
  const name = serverIdentifier(serverName);
  const bearer = `Bearer ${key || GRANT_KEY_PLACEHOLDER}`;
  const header = `Authorization: ${bearer}`;
  return [
    {
      client: "claude-code",
      label: "Claude Code",
      format: "shell",
      location: "Terminal",
      hint: "Run it in a terminal, in your project. Add --scope user to use the server in all your projects.",
      text: `claude mcp add --transport http ${name} ${shellWord(url)} --header ${shellDoubleQuoted(header)}`,
    },
    {
      client: "cursor",
      label: "Cursor",
      format: "json",
      location: ".cursor/mcp.json",
      hint: "Put it in your project's .cursor/mcp.json, or in ~/.cursor/mcp.json for every project; merge the entry into mcpServers if the file exists.",
      text: json({ mcpServers: { [name]: { url, headers: { Authorization: bearer } } } }),
    },
    {
      client: "vscode",
      label: "VS Code",
      format: "json",
      location: ".vscode/mcp.json",
      hint: "Put it in your workspace's .vscode/mcp.json (merge the entry into servers if the file exists), and keep the file out of version control while it holds a key.",
      text: json({ servers: { [name]: { type: "http", url, headers: { Authorization: bearer } } } }),
    },
    {
      client: "claude-desktop",
      label: "Claude Desktop",
      format: "json",
      location: "claude_desktop_config.json",
      hint: "Open Settings → Developer → Edit Config, merge the entry into mcpServers, and restart Claude Desktop. mcp-remote carries it to the gateway; the key is in env because some clients split arguments at spaces.",
      text: json({
        mcpServers: {
          [name]: {
            command: "npx",
            args: ["-y", "mcp-remote", url, "--header", "Authorization:${AUTH_HEADER}", ...(needsAllowHttp(url) ? ["--allow-http"] : [])],
            env: { AUTH_HEADER: bearer },
          },
        },
      }),
    },
    {
      client: "inspector",
      label: "MCP Inspector",
      format: "shell",
      location: "Terminal",
      hint: "Run it in a terminal to check the connection: it lists the tools this key may call. The Inspector asks for Node.js 22 or newer (on Node 20 it warns, and works); the @2 keeps npm from picking a release older than its --header option.",
      text: `npx -y @modelcontextprotocol/inspector@2 --cli ${shellWord(url)} --transport http --method tools/list --header ${shellDoubleQuoted(header)}`,
    },
  ];
}
