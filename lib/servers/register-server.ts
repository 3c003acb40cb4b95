import { randomUUID } from "node:crypto";
import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { env, upstreamNetworks } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/api-error";
import { CLASSIFIER_VERSION } from "@/lib/risk/version";
import { classifyDefinitions } from "@/lib/servers/classify-definitions";
import { credentialHeaders, sealCredentials, type CredentialsInput } from "@/lib/servers/server-credentials";
import { serverView } from "@/lib/servers/server-views";
import { definitionHash, isToolDefinition, toolColumns } from "@/lib/servers/tool-definition";
import { discoverTools } from "@/lib/upstream/discover-tools";
import { UpstreamError } from "@/lib/upstream/upstream-error";

export interface RegisterServerInput {
  name: string;
  url: string;
  transport: "auto" | "streamable_http" | "sse";
  credentials?: CredentialsInput | null;
}

export const nameTaken = (name: string) =>
  new ApiError(409, "server_name_taken", `A server named “${name}” already exists in this workspace: choose another name.`, [
    { path: "body.name", message: `A server named “${name}” already exists: choose another name.` },
  ]);

/**
 * Connects to the server, lists its tools and saves the server with every tool classified, in one transaction.
 * When the server cannot be reached or is not MCP, nothing is saved and the error says why.
 */
export async function registerServer(caller: Caller, input: RegisterServerInput, now = new Date()) {
  const prisma = getPrisma();
  if (await prisma.mcpServer.findFirst({ where: { workspaceId: caller.workspaceId, name: input.name }, select: { id: true } })) {
    throw nameTaken(input.name);
  }

  let discovered;
  try {
    discovered = await discoverTools({
      url: input.url,
      transport: input.transport,
      headers: credentialHeaders(input.credentials),
      networks: upstreamNetworks(),
      timeoutMs: env.PORTCULLIS_UPSTREAM_TIMEOUT_MS,
    });
  } catch (error) {
    if (error instanceof UpstreamError) {
      throw new ApiError(422, error.code, error.message, [{ path: "body.url", message: error.message }]);
    }
    throw error;
  }

  const definitions = discovered.tools.filter(isToolDefinition);
  const serverId = randomUUID();
  const classified = classifyDefinitions(definitions, { name: input.name, ...discovered });
  try {
    await prisma.$transaction(async (tx) => {
      await tx.mcpServer.create({
        data: {
          id: serverId,
          workspaceId: caller.workspaceId,
          name: input.name,
          url: input.url,
          transport: input.transport,
          detectedTransport: discovered.transport,
          ...sealCredentials(input.credentials, { workspaceId: caller.workspaceId, serverId }),
          serverInfo: discovered.serverInfo ?? Prisma.DbNull,
          instructions: discovered.instructions,
          status: "ok",
          lastSyncAt: now,
          nextSyncAt: new Date(now.getTime() + 60 * 60_000),
          createdAt: now,
        },
      });
      await tx.tool.createMany({
        data: definitions.map((definition) => {
          const risk = classified.get(definition.name)!;
          const hash = definitionHash(definition);
          const columns = toolColumns(definition);
          return {
            serverId,
            ...columns,
            inputSchema: columns.inputSchema as Prisma.InputJsonValue,
            outputSchema: (columns.outputSchema ?? Prisma.DbNull) as Prisma.InputJsonValue,
            annotations: (columns.annotations ?? Prisma.DbNull) as Prisma.InputJsonValue,
            definition: definition as Prisma.InputJsonValue,
            definitionHash: hash,
            acceptedDefinition: definition as Prisma.InputJsonValue,
            acceptedHash: hash,
            status: "active",
            category: risk.category,
            level: risk.level,
            reasons: risk.reasons,
            classifierVersion: CLASSIFIER_VERSION,
            firstSeenAt: now,
          };
        }),
        skipDuplicates: true,
      });
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw nameTaken(input.name);
    throw error;
  }
  return serverView(await prisma.mcpServer.findUniqueOrThrow({ where: { id: serverId } }));
}
