import { describe, expect, it } from "vitest";
import { connectSnippets, GRANT_KEY_PLACEHOLDER, serverIdentifier, type ConnectClient, type ConnectSnippet } from "@/lib/gateway/connect-snippets";

const KEY = "pcg_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";
const URLS = {
  local: "http://localhost:3000/gateway/3f1c2a9e-7b4d-4e2a-9c1f-0a1b2c3d4e5f/mcp",
  public: "https://portcullis.example.com/gateway/3f1c2a9e-7b4d-4e2a-9c1f-0a1b2c3d4e5f/mcp",
  lan: "http://10.0.0.5:3000/gateway/3f1c2a9e-7b4d-4e2a-9c1f-0a1b2c3d4e5f/mcp",
  ipv6: "http://[::1]:3100/gateway/3f1c2a9e-7b4d-4e2a-9c1f-0a1b2c3d4e5f/mcp",
};

/** Splits a command line the way a POSIX shell does (quotes and backslashes; no expansions), to read it back. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === " ") {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      word ??= "";
      for (i++; line[i] !== '"'; i++) {
        if (line[i] === "\\" && '\\"$`'.includes(line[i + 1]!)) i++;
        word += line[i];
      }
    } else if (/[$`;&|<>()*?[\]]/.test(c)) {
      throw new Error(`Unquoted shell character ${c} in: ${line}`);
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

function snippet(client: ConnectClient, url = URLS.public, key: string | null = KEY, serverName = "GitHub"): ConnectSnippet {
  const found = connectSnippets({ serverName, url, key }).find((s) => s.client === client);
  if (!found) throw new Error(`no ${client} snippet`);
  return found;
}

describe("serverIdentifier", () => {
  it.each([
    ["github", "github"],
    ['My "GitHub" server', "my-github-server"],
    ["Café au lait", "cafe-au-lait"],
    ["  --rm -rf /  ", "rm-rf"],
    ["$(whoami); echo 'x'", "whoami-echo-x"],
    ["payments_v2.prod", "payments-v2-prod"],
    ["日本語", "portcullis"],
    ["", "portcullis"],
    ["a".repeat(47) + " tail that is cut", "a".repeat(47)],
  ])("%j becomes %j", (name, expected) => {
    expect(serverIdentifier(name)).toBe(expected);
    expect(serverIdentifier(name)).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/);
  });
});

describe("connectSnippets", () => {
  it("has one snippet per client, in a fixed order", () => {
    expect(connectSnippets({ serverName: "x", url: URLS.public }).map((s) => s.client)).toEqual([
      "claude-code",
      "cursor",
      "vscode",
      "claude-desktop",
      "inspector",
    ]);
  });

  describe.each(Object.entries(URLS))("with a %s URL", (_, url) => {
    describe.each([
      ["the key", KEY],
      ["no key", null],
    ])("and %s", (_, key) => {
      const bearer = `Bearer ${key ?? GRANT_KEY_PLACEHOLDER}`;
      const all = connectSnippets({ serverName: 'My "GitHub" server', url, key });

      it("puts the URL and the Authorization header in every snippet, and the placeholder only without a key", () => {
        for (const s of all) {
          expect(s.text).toContain(url);
          expect(s.text).toContain(bearer);
          expect(s.text.includes(GRANT_KEY_PLACEHOLDER)).toBe(key === null);
          expect(s.text).not.toContain("GitHub");
        }
      });

      it("gives JSON that parses to the client's documented shape", () => {
        expect(JSON.parse(snippet("cursor", url, key, 'My "GitHub" server').text)).toEqual({
          mcpServers: { "my-github-server": { url, headers: { Authorization: bearer } } },
        });
        expect(JSON.parse(snippet("vscode", url, key, 'My "GitHub" server').text)).toEqual({
          servers: { "my-github-server": { type: "http", url, headers: { Authorization: bearer } } },
        });
        const desktop = JSON.parse(snippet("claude-desktop", url, key, 'My "GitHub" server').text);
        const entry = desktop.mcpServers["my-github-server"];
        expect(entry).toMatchObject({ command: "npx", env: { AUTH_HEADER: bearer } });
        expect(entry.args.slice(0, 5)).toEqual(["-y", "mcp-remote", url, "--header", "Authorization:${AUTH_HEADER}"]);
        // No spaces inside arguments: some clients split them (mcp-remote's documented workaround).
        for (const arg of entry.args) expect(arg).not.toContain(" ");
      });

      it("gives commands a shell reads back as the intended arguments", () => {
        expect(shellWords(snippet("claude-code", url, key, 'My "GitHub" server').text)).toEqual([
          "claude", "mcp", "add", "--transport", "http", "my-github-server", url, "--header", `Authorization: ${bearer}`,
        ]);
        expect(shellWords(snippet("inspector", url, key).text)).toEqual([
          "npx", "-y", "@modelcontextprotocol/inspector@2", "--cli", url, "--transport", "http", "--method", "tools/list", "--header", `Authorization: ${bearer}`,
        ]);
      });
    });
  });

  it.each([
    [URLS.local, false],
    ["http://127.0.0.1:3000/gateway/x/mcp", false],
    [URLS.public, false],
    [URLS.lan, true],
    [URLS.ipv6, true],
  ])("asks mcp-remote to allow plain http for %s: %s", (url, allowed) => {
    const args: string[] = JSON.parse(snippet("claude-desktop", url).text).mcpServers.github.args;
    expect(args.includes("--allow-http")).toBe(allowed);
  });

  it("quotes a URL the shell would otherwise expand", () => {
    expect(snippet("claude-code", URLS.ipv6).text).toContain(`'${URLS.ipv6}'`);
    expect(snippet("claude-code", URLS.public).text).toContain(` ${URLS.public} `);
  });
});
