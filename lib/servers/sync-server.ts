import { getPrisma } from "@/lib/db/client";
import { env, upstreamNetworks } from "@/lib/env";
import { Prisma, type McpServer } from "@/lib/generated/prisma/client";
import { CLASSIFIER_VERSION } from "@/lib/risk/version";
import { classifyDefinitions } from "@/lib/servers/classify-definitions";
import { openCredentials } from "@/lib/servers/server-credentials";
import { serverView } from "@/lib/servers/server-views";
import { definitionHash, isToolDefinition, toolColumns, type ToolDefinition } from "@/lib/servers/tool-definition";
import { discoverTools } from "@/lib/upstream/discover-tools";
import { UpstreamError } from "@/lib/upstream/upstream-error";

// Re-lists a server's tools and records what changed. A tool whose definition differs from the one a person
// accepted is marked needs_review (the gateway refuses it until someone accepts the new definition); new tools
// are added, vanished ones marked removed. A failed sync keeps the last known tools and says why it failed.

export interface SyncOutcome {
  outcome: "synced" | "failed";
  error: { code: string; message: string } | null;
  added: string[];
  changed: string[];
  removed: string[];
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

export async function syncServer(server: McpServer, now = new Date()) {
  const outcome = await syncTools(server, now);
  return { ...outcome, server: await serverView(await getPrisma().mcpServer.findUniqueOrThrow({ where: { id: server.id } })) };
}

async function syncTools(server: McpServer, now: Date): Promise<SyncOutcome> {
  const prisma = getPrisma();
  const nextSyncAt = new Date(now.getTime() + server.syncIntervalMinutes * 60_000);
  let discovered;
  try {
    discovered = await discoverTools({
      url: server.url,
      transport: server.transport as "auto" | "streamable_http" | "sse",
      headers: openCredentials(server.credentialCiphertext, { workspaceId: server.workspaceId, serverId: server.id }),
      networks: upstreamNetworks(),
      timeoutMs: env.PORTCULLIS_UPSTREAM_TIMEOUT_MS,
    });
  } catch (error) {
    const failure =
      error instanceof UpstreamError
        ? { code: error.code, message: error.message }
        : { code: "sync_failed", message: error instanceof Error ? error.message : String(error) };
    await prisma.mcpServer.update({
      where: { id: server.id },
      data: { status: "error", lastSyncError: failure, nextSyncAt },
    });
    return { outcome: "failed", error: failure, added: [], changed: [], removed: [] };
  }

  const definitions = new Map<string, ToolDefinition>();
  for (const tool of discovered.tools) if (isToolDefinition(tool) && !definitions.has(tool.name)) definitions.set(tool.name, tool);
  const classified = classifyDefinitions([...definitions.values()], { name: server.name, ...discovered });
  const result: SyncOutcome = { outcome: "synced", error: null, added: [], changed: [], removed: [] };

  await prisma.$transaction(async (tx) => {
    const existing = new Map((await tx.tool.findMany({ where: { serverId: server.id } })).map((t) => [t.name, t]));
    for (const [name, definition] of definitions) {
      const hash = definitionHash(definition);
      const risk = classified.get(name)!;
      const columns = toolColumns(definition);
      const fields = {
        ...columns,
        inputSchema: json(columns.inputSchema),
        outputSchema: columns.outputSchema ? json(columns.outputSchema) : Prisma.DbNull,
        annotations: columns.annotations ? json(columns.annotations) : Prisma.DbNull,
        definition: json(definition),
        definitionHash: hash,
        category: risk.category,
        level: risk.level,
        reasons: risk.reasons,
        classifierVersion: CLASSIFIER_VERSION,
      };
      const tool = existing.get(name);
      if (!tool) {
        await tx.tool.create({
          data: { serverId: server.id, ...fields, acceptedDefinition: json(definition), acceptedHash: hash, status: "active", firstSeenAt: now },
        });
        await tx.toolChange.create({ data: { serverId: server.id, toolName: name, kind: "added", after: json(definition), detectedAt: now } });
        result.added.push(name);
        continue;
      }
      const status = hash === tool.acceptedHash ? "active" : "needs_review";
      if (tool.status === "removed") {
        await tx.toolChange.create({
          data: { serverId: server.id, toolName: name, kind: "added", before: json(tool.definition), after: json(definition), detectedAt: now },
        });
        result.added.push(name);
      } else if (hash !== tool.definitionHash) {
        await tx.toolChange.create({
          data: {
            serverId: server.id,
            toolName: name,
            kind: "changed",
            before: json(tool.definition),
            after: json(definition),
            detectedAt: now,
            // Changed back to what was accepted: nothing left to review.
            ...(status === "active" ? { reviewedAt: now, reviewedBy: "Portcullis (definition restored)" } : {}),
          },
        });
        result.changed.push(name);
      }
      if (status === "active" && tool.status === "needs_review") {
        await tx.toolChange.updateMany({
          where: { serverId: server.id, toolName: name, kind: "changed", reviewedAt: null },
          data: { reviewedAt: now, reviewedBy: "Portcullis (definition restored)" },
        });
      }
      if (hash !== tool.definitionHash || tool.status !== status) {
        await tx.tool.update({ where: { id: tool.id }, data: { ...fields, status } });
      }
    }
    for (const [name, tool] of existing) {
      if (definitions.has(name) || tool.status === "removed") continue;
      await tx.tool.update({ where: { id: tool.id }, data: { status: "removed" } });
      await tx.toolChange.create({ data: { serverId: server.id, toolName: name, kind: "removed", before: json(tool.definition), detectedAt: now } });
      result.removed.push(name);
    }
    await tx.mcpServer.update({
      where: { id: server.id },
      data: {
        status: "ok",
        lastSyncAt: now,
        lastSyncError: Prisma.DbNull,
        nextSyncAt,
        detectedTransport: discovered.transport,
        serverInfo: discovered.serverInfo ? json(discovered.serverInfo) : Prisma.DbNull,
        instructions: discovered.instructions,
      },
    });
  });
  return result;
}
