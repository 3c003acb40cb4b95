import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { isPlainObject } from "@/lib/json/is-plain-object";
import type { RiskClassification } from "@/lib/risk/types";
import { CLASSIFIER_VERSION } from "@/lib/risk/version";
import type { ClassificationRecord } from "@/lib/servers/classification-record";
import { classifyDefinitions } from "@/lib/servers/classify-definitions";
import { isToolDefinition, type ToolDefinition } from "@/lib/servers/tool-definition";

// When the classifier changes (CLASSIFIER_VERSION), registered servers' tools are recomputed server by server, from
// the definition a sync classifies (the one the server lists now) and with the server's other listed tools in view.
// A tool whose level or category moved gets a "reclassified" change. Overrides are never touched: a person's
// judgement still wins, and no policy is changed.

/** Two-key advisory locks: this class names reclassification, the second key the server. */
const RECLASSIFY_LOCK_CLASS = 0x5243;

export interface ReclassifyOutcome {
  servers: number;
  tools: number;
  /** Tools whose level or category moved, each recorded as a "reclassified" change. */
  changed: number;
}

export async function reclassifyTools(version = CLASSIFIER_VERSION, now = new Date()): Promise<ReclassifyOutcome> {
  const stale = await getPrisma().tool.groupBy({ by: ["serverId"], where: { classifierVersion: { not: version } } });
  const outcome: ReclassifyOutcome = { servers: 0, tools: 0, changed: 0 };
  for (const { serverId } of stale) {
    const server = await reclassifyServer(serverId, version, now);
    if (server.tools === 0) continue;
    outcome.servers++;
    outcome.tools += server.tools;
    outcome.changed += server.changed;
  }
  return outcome;
}

async function reclassifyServer(serverId: string, version: number, now: Date): Promise<{ tools: number; changed: number }> {
  return getPrisma().$transaction(
    async (tx) => {
      // Instances starting together take turns per server; the later one finds the tools already current.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${RECLASSIFY_LOCK_CLASS}::int, hashtext(${serverId}))`;
      const server = await tx.mcpServer.findUnique({ where: { id: serverId }, select: { name: true, serverInfo: true, instructions: true } });
      const tools = await tx.tool.findMany({
        where: { serverId },
        select: { id: true, name: true, status: true, definition: true, category: true, level: true, classifierVersion: true },
      });
      const stale = tools.filter((tool) => tool.classifierVersion !== version);
      if (!server || stale.length === 0) return { tools: 0, changed: 0 };

      const context = { name: server.name, serverInfo: serverInfoOf(server.serverInfo), instructions: server.instructions };
      const listed = tools.filter((tool) => tool.status !== "removed");
      const risks = classifyDefinitions(listed.map(definitionOf), context);
      // A removed tool was judged among the tools listed with it then; the ones listed now are the nearest stand-in.
      const removed = stale.filter((tool) => tool.status === "removed");
      const removedRisks = removed.length > 0 ? classifyDefinitions([...listed, ...removed].map(definitionOf), context) : new Map<string, RiskClassification>();

      const changes: Prisma.ToolChangeCreateManyInput[] = [];
      for (const tool of stale) {
        const risk = (tool.status === "removed" ? removedRisks : risks).get(tool.name)!;
        await tx.tool.update({
          where: { id: tool.id },
          data: { category: risk.category, level: risk.level, reasons: risk.reasons, classifierVersion: version },
        });
        if (risk.category === tool.category && risk.level === tool.level) continue;
        const before = { category: tool.category, level: tool.level, classifierVersion: tool.classifierVersion } as ClassificationRecord;
        const after: ClassificationRecord = { category: risk.category, level: risk.level, classifierVersion: version };
        changes.push({ serverId, toolName: tool.name, kind: "reclassified", before: { ...before }, after: { ...after }, detectedAt: now });
      }
      if (changes.length > 0) await tx.toolChange.createMany({ data: changes });
      return { tools: stale.length, changed: changes.length };
    },
    // The second instance waits for the first one's lock inside its transaction.
    { timeout: 60_000 },
  );
}

function definitionOf(tool: { name: string; definition: unknown }): ToolDefinition {
  return isToolDefinition(tool.definition) ? tool.definition : { name: tool.name };
}

function serverInfoOf(value: unknown): { name?: string; title?: string } | null {
  if (!isPlainObject(value)) return null;
  return {
    ...(typeof value.name === "string" ? { name: value.name } : {}),
    ...(typeof value.title === "string" ? { title: value.title } : {}),
  };
}

/** One line for the start-up log. */
export function describeReclassification(outcome: ReclassifyOutcome): string {
  const moved = outcome.changed === 0 ? "none changed level or category" : `${outcome.changed} changed level or category (see each server's changes)`;
  return `${outcome.tools} tools of ${outcome.servers} registered server${outcome.servers === 1 ? "" : "s"} reclassified: ${moved}`;
}
