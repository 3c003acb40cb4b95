import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// A registry serving the official MCP Registry's list API (GET /v0.1/servers) from memory, on 127.0.0.1, for the
// importer's tests. Pages can be made to misbehave: malformed, slow, huge, or looping on their cursor.

export interface RegistryItem {
  server: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

export type PageBehaviour = "malformed" | "slow" | "huge" | "same-cursor";

export interface TestRegistry {
  url: string;
  /** The entries it serves, in order; change them between runs. */
  items: RegistryItem[];
  /** Misbehaviour by page number (1-based, counted from the first page of each run). */
  pages: Map<number, PageBehaviour>;
  /** The query strings it was asked, in order. */
  requests: URLSearchParams[];
  /** Name the cursor `next_cursor` (a snake_case registry) instead of `nextCursor`. */
  snakeCase: boolean;
  close(): Promise<void>;
}

/** An entry as the official registry lists one. */
export function registryItem(name: string, extra: Record<string, unknown> = {}, official: Record<string, unknown> = {}): RegistryItem {
  return {
    server: {
      $schema: "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
      name,
      description: `The ${name.split("/")[1]} server`,
      version: "1.0.0",
      packages: [{ registryType: "npm", identifier: `@example/${name.split("/")[1]}`, version: "1.0.0", transport: { type: "stdio" } }],
      ...extra,
    },
    _meta: {
      "io.modelcontextprotocol.registry/official": {
        status: "active",
        publishedAt: "2026-11-01T00:00:00Z",
        updatedAt: "2026-11-01T00:00:00Z",
        isLatest: true,
        ...official,
      },
    },
  };
}

export async function startTestRegistry(): Promise<TestRegistry> {
  const registry = { items: [] as RegistryItem[], pages: new Map<number, PageBehaviour>(), requests: [] as URLSearchParams[], snakeCase: false };
  const open = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    open.add(res);
    res.on("close", () => open.delete(res));
    const url = new URL(req.url ?? "/", "http://registry.test");
    if (url.pathname !== "/v0.1/servers") return void res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
    registry.requests.push(url.searchParams);
    const cursor = url.searchParams.get("cursor");
    const looping = cursor === "loop";
    const page = cursor && !looping ? Number(Buffer.from(cursor, "base64url").toString().split(":")[1]) : 1;
    const behaviour = looping ? "same-cursor" : registry.pages.get(page);
    if (behaviour === "malformed") return void res.writeHead(200, { "content-type": "application/json" }).end('{"servers": [ {"server": ');
    if (behaviour === "huge") {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"servers": [], "padding": "');
      const chunk = "x".repeat(64 * 1024);
      let sent = 0;
      const more = () => {
        while (sent < 32 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", more);
        }
        res.end('"}');
      };
      return more();
    }
    if (behaviour === "slow") {
      // Headers at once, then a body that trickles for longer than any test waits.
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"servers": [');
      const timer = setInterval(() => res.write(" "), 200);
      res.on("close", () => clearInterval(timer));
      return;
    }

    const limit = Math.min(Number(url.searchParams.get("limit") ?? 30), 100);
    const since = url.searchParams.get("updated_since");
    const withDeleted = url.searchParams.get("include_deleted") === "true" || since !== null;
    const search = url.searchParams.get("search");
    const matching = registry.items.filter((item) => {
      const meta = item._meta?.["io.modelcontextprotocol.registry/official"] as { status?: string; updatedAt?: string } | undefined;
      if (!withDeleted && meta?.status === "deleted") return false;
      if (since && !(meta?.updatedAt && Date.parse(meta.updatedAt) > Date.parse(since))) return false;
      if (search && !String(item.server.name).includes(search)) return false;
      return true;
    });
    const offset = cursor && !looping ? Number(Buffer.from(cursor, "base64url").toString().split(":")[0]) : 0;
    const slice = matching.slice(offset, offset + limit);
    const nextOffset = offset + limit;
    const next =
      behaviour === "same-cursor"
        ? "loop"
        : nextOffset < matching.length
          ? Buffer.from(`${nextOffset}:${page + 1}`).toString("base64url")
          : null;
    const metadata = registry.snakeCase ? { count: slice.length, ...(next ? { next_cursor: next } : {}) } : { count: slice.length, ...(next ? { nextCursor: next } : {}) };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ servers: slice, metadata }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(registry, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
      }),
  });
}
