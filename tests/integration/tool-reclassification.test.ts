import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/accounts/sign-up";
import type { Caller } from "@/lib/auth/caller";
import { getPrisma } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/api-error";
import { canonicalJson } from "@/lib/policy/canonical-json";
import { recommendRule } from "@/lib/risk";
import { RISK_CATEGORIES, type RiskCategory, type RiskClassification, type RiskLevel } from "@/lib/risk/types";
import { classifierRelease, CLASSIFIER_VERSION } from "@/lib/risk/version";
import { acceptToolChange } from "@/lib/servers/accept-tool-change";
import { classifyDefinitions } from "@/lib/servers/classify-definitions";
import { getTool } from "@/lib/servers/get-tool";
import { listChanges } from "@/lib/servers/list-changes";
import { reclassifyTools } from "@/lib/servers/reclassify-tools";
import { registerServer } from "@/lib/servers/register-server";
import { syncServer } from "@/lib/servers/sync-server";
import { definitionHash, toolColumns, type ToolDefinition } from "@/lib/servers/tool-definition";
import { defaultTools, startTestMcpServer } from "../support/test-mcp-server";

// Registered servers' tools judged by an older classifier are recomputed at start: a "reclassified" change for each
// level or category that moved, overrides untouched, once however many instances start together. The tools are
// stored directly, with classifications the current classifier would not give, as an older one might have.

const OLDER = CLASSIFIER_VERSION - 1;

const DEFINITIONS: ToolDefinition[] = [
  { name: "get_forecast", description: "Get the weather forecast for a city.", inputSchema: { type: "object", properties: { city: { type: "string" } } } },
  { name: "delete_file", description: "Delete a file.", inputSchema: { type: "object", properties: { path: { type: "string" } } } },
  { name: "list_notes", description: "List the notes.", inputSchema: { type: "object" } },
  { name: "send_email", description: "Send an email.", inputSchema: { type: "object", properties: { to: { type: "string" }, body: { type: "string" } } } },
];
/** No longer listed: judged again all the same, its page still shows its risk. */
const REMOVED: ToolDefinition = { name: "create_note", description: "Create a note.", inputSchema: { type: "object", properties: { text: { type: "string" } } } };

const otherLevel = (level: RiskLevel): RiskLevel => (level === "low" ? "high" : "low");
const otherCategory = (category: RiskCategory): RiskCategory => RISK_CATEGORIES.find((c) => c !== category && c !== "read")!;

interface Stored {
  category: RiskCategory;
  level: RiskLevel;
}

let caller: Caller;

beforeAll(async () => {
  const account = await signUp({ email: `reclassify-${randomUUID()}@example.com`, password: "a long test password" });
  caller = { userId: account.user.id, email: account.user.email, workspaceId: account.workspace.id, via: "session" };
});

/** What the current classifier says, with the siblings the reclassification uses: listed tools together, removed ones among them. */
function currentRisks(serverName: string): Map<string, RiskClassification> {
  const listed = classifyDefinitions(DEFINITIONS, { name: serverName });
  const withRemoved = classifyDefinitions([...DEFINITIONS, REMOVED], { name: serverName });
  return new Map([...listed, [REMOVED.name, withRemoved.get(REMOVED.name)!]]);
}

/** Older classifications: both moved, the level moved, nothing moved, the level moved under an override, a removed tool's level moved. */
function olderRisks(now: Map<string, RiskClassification>): Map<string, Stored> {
  const at = (name: string) => now.get(name)!;
  return new Map<string, Stored>([
    ["get_forecast", { category: otherCategory(at("get_forecast").category), level: otherLevel(at("get_forecast").level) }],
    ["delete_file", { category: at("delete_file").category, level: otherLevel(at("delete_file").level) }],
    ["list_notes", { category: at("list_notes").category, level: at("list_notes").level }],
    ["send_email", { category: at("send_email").category, level: otherLevel(at("send_email").level) }],
    ["create_note", { category: at("create_note").category, level: otherLevel(at("create_note").level) }],
  ]);
}

async function storeServer(name: string, older: Map<string, Stored>): Promise<string> {
  const prisma = getPrisma();
  const server = await prisma.mcpServer.create({
    data: { id: randomUUID(), workspaceId: caller.workspaceId, name, url: "https://mcp.example.com/mcp", status: "ok" },
  });
  for (const definition of [...DEFINITIONS, REMOVED]) {
    const columns = toolColumns(definition);
    const risk = older.get(definition.name)!;
    await prisma.tool.create({
      data: {
        serverId: server.id,
        ...columns,
        inputSchema: columns.inputSchema as Prisma.InputJsonValue,
        outputSchema: Prisma.DbNull,
        annotations: Prisma.DbNull,
        definition: definition as Prisma.InputJsonValue,
        definitionHash: definitionHash(definition),
        acceptedDefinition: definition as Prisma.InputJsonValue,
        acceptedHash: definitionHash(definition),
        status: definition === REMOVED ? "removed" : "active",
        category: risk.category,
        level: risk.level,
        reasons: ["an older classifier said so"],
        classifierVersion: OLDER,
        ...(definition.name === "send_email"
          ? { overrideLevel: "critical", overrideNote: "It reaches our customers", overriddenAt: new Date("2026-11-01T00:00:00Z"), overriddenBy: "lead@example.com" }
          : {}),
      },
    });
  }
  return server.id;
}

/** Puts the older classifications back, as if this version had never run. */
async function makeStale(serverId: string, older: Map<string, Stored>) {
  for (const [name, risk] of older) {
    await getPrisma().tool.update({
      where: { serverId_name: { serverId, name } },
      data: { ...risk, reasons: ["an older classifier said so"], classifierVersion: OLDER },
    });
  }
}

const reclassifiedChanges = (serverId: string) =>
  getPrisma().toolChange.findMany({ where: { serverId, kind: "reclassified" }, orderBy: { toolName: "asc" } });

const sameEffect = (a: ReturnType<typeof recommendRule>, b: ReturnType<typeof recommendRule>) =>
  canonicalJson({ action: a.action, limits: a.limits }) === canonicalJson({ action: b.action, limits: b.limits });

describe("classifying at registration and sync", () => {
  it("stores the classifier version with each classification", async () => {
    const upstream = await startTestMcpServer({ tools: defaultTools(5) });
    try {
      const registered = await registerServer(caller, { name: `versioned-${randomUUID().slice(0, 6)}`, url: upstream.url, transport: "auto" });
      const versions = async () => (await getPrisma().tool.findMany({ where: { serverId: registered.id } })).map((t) => t.classifierVersion);
      expect(await versions()).toEqual(upstream.tools.map(() => CLASSIFIER_VERSION));
      // A changed definition is classified again on sync, by this version.
      await getPrisma().tool.updateMany({ where: { serverId: registered.id }, data: { classifierVersion: OLDER } });
      upstream.tools[0] = { ...upstream.tools[0]!, description: "Another description." };
      upstream.tools.push({ name: "new_tool", description: "A tool added later.", inputSchema: { type: "object" } });
      await syncServer(await getPrisma().mcpServer.findUniqueOrThrow({ where: { id: registered.id } }));
      const rows = await getPrisma().tool.findMany({ where: { serverId: registered.id } });
      expect(rows.filter((t) => t.classifierVersion === CLASSIFIER_VERSION).map((t) => t.name).sort()).toEqual([upstream.tools[0]!.name, "new_tool"].sort());
    } finally {
      await upstream.close();
      // The tools left at the older version are this file's own: recompute them so the counts below are this file's too.
      await reclassifyTools();
    }
  });
});

describe("reclassifying registered servers' tools", () => {
  it("recomputes each stale tool from its stored definition and records every level or category that moved", async () => {
    const serverName = `notes-${randomUUID().slice(0, 8)}`;
    const now = currentRisks(serverName);
    const older = olderRisks(now);
    const serverId = await storeServer(serverName, older);

    const outcome = await reclassifyTools();
    expect(outcome.tools).toBeGreaterThanOrEqual(5);

    const tools = await getPrisma().tool.findMany({ where: { serverId }, orderBy: { name: "asc" } });
    for (const tool of tools) {
      const risk = now.get(tool.name)!;
      expect({ name: tool.name, category: tool.category, level: tool.level, reasons: tool.reasons }).toEqual(risk);
      expect(tool.classifierVersion).toBe(CLASSIFIER_VERSION);
    }
    // The override is the person's: kept exactly as it was.
    expect(tools.find((t) => t.name === "send_email")).toMatchObject({
      overrideLevel: "critical",
      overrideCategory: null,
      overrideNote: "It reaches our customers",
      overriddenAt: new Date("2026-11-01T00:00:00Z"),
      overriddenBy: "lead@example.com",
    });
    expect(tools.filter((t) => t.name !== "send_email").every((t) => t.overrideLevel === null && t.overrideCategory === null)).toBe(true);

    // One record per tool that moved (list_notes did not), with the classification before and after.
    const changes = await reclassifiedChanges(serverId);
    expect(changes.map((c) => c.toolName)).toEqual(["create_note", "delete_file", "get_forecast", "send_email"]);
    for (const change of changes) {
      expect(change.before).toEqual({ ...older.get(change.toolName), classifierVersion: OLDER });
      const risk = now.get(change.toolName)!;
      expect(change.after).toEqual({ category: risk.category, level: risk.level, classifierVersion: CLASSIFIER_VERSION });
      expect(change.reviewedAt).toBeNull();
    }

    // Nothing is left to do: a second run records nothing.
    expect(await reclassifyTools()).toEqual({ servers: 0, tools: 0, changed: 0 });
    expect(await reclassifiedChanges(serverId)).toHaveLength(4);
  });

  it("records once when two instances start together", async () => {
    const serverName = `notes-${randomUUID().slice(0, 8)}`;
    const older = olderRisks(currentRisks(serverName));
    const serverId = await storeServer(serverName, older);
    const [one, two] = await Promise.all([reclassifyTools(), reclassifyTools()]);
    expect(one.tools + two.tools).toBeGreaterThanOrEqual(5);
    expect(await reclassifiedChanges(serverId)).toHaveLength(4);

    await makeStale(serverId, older);
    await Promise.all([reclassifyTools(), reclassifyTools(), reclassifyTools()]);
    expect(await reclassifiedChanges(serverId)).toHaveLength(8);
  });

  it("shows the record on the tool's page and in the server's changes, and says when the recommended rule moved", async () => {
    const serverName = `notes-${randomUUID().slice(0, 8)}`;
    const now = currentRisks(serverName);
    const older = olderRisks(now);
    const serverId = await storeServer(serverName, older);
    await reclassifyTools();
    const tools = await getPrisma().tool.findMany({ where: { serverId } });
    const idOf = (name: string) => tools.find((t) => t.name === name)!.id;

    const forecast = await getTool(caller, idOf("get_forecast"));
    const before = older.get("get_forecast")!;
    const after = now.get("get_forecast")!;
    expect(forecast.classifierVersion).toBe(CLASSIFIER_VERSION);
    expect(forecast.reclassification).toMatchObject({
      before: { ...before, classifierVersion: OLDER },
      after: { category: after.category, level: after.level, classifierVersion: CLASSIFIER_VERSION },
      classifierRelease: classifierRelease(CLASSIFIER_VERSION),
      overrideApplies: false,
    });
    const wasRule = recommendRule({ name: "get_forecast", ...before });
    const nowRule = recommendRule(after);
    expect(forecast.reclassification!.recommendationChange).toEqual(sameEffect(wasRule, nowRule) ? null : { before: wasRule, after: nowRule });

    // Under an override the recommendation follows the override, which did not move.
    const email = await getTool(caller, idOf("send_email"));
    expect(email.level).toBe("critical");
    expect(email.reclassification).toMatchObject({ overrideApplies: true, recommendationChange: null });

    // A tool nothing moved has no record to show.
    expect((await getTool(caller, idOf("list_notes"))).reclassification).toBeNull();

    const listed = await listChanges(caller, serverId);
    expect(listed.filter((c) => c.kind === "reclassified").map((c) => c.toolName).sort()).toEqual(["create_note", "delete_file", "get_forecast", "send_email"]);

    // A reclassification is not a definition change: there is nothing to accept.
    const refused = await acceptToolChange(caller, idOf("get_forecast")).then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe("nothing_to_review");
  });

  it("stops showing a record on the tool's page once a later classification replaced it", async () => {
    const serverName = `notes-${randomUUID().slice(0, 8)}`;
    const now = currentRisks(serverName);
    const serverId = await storeServer(serverName, olderRisks(now));
    await reclassifyTools();
    // As a sync of a changed definition would: another classification, the record left behind in the history.
    const tool = await getPrisma().tool.update({
      where: { serverId_name: { serverId, name: "delete_file" } },
      data: { level: otherLevel(now.get("delete_file")!.level) },
    });
    expect((await getTool(caller, tool.id)).reclassification).toBeNull();
    expect((await listChanges(caller, serverId)).some((c) => c.toolName === "delete_file" && c.kind === "reclassified")).toBe(true);
  });
});
