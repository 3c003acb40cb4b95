import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { classifyTools } from "@/lib/risk";
import type { RiskLabel, ScoredTool } from "@/lib/risk/score";
import { RISK_CATEGORIES, RISK_LEVELS, type McpToolDefinition } from "@/lib/risk/types";
import { definitionHash, type ToolDefinition } from "@/lib/servers/tool-definition";

// Reads risk-set/ (definitions copied from the catalog snapshot, labels made by the rubric, and the split) and
// classifies each labelled tool the way the catalog does: with its server's name, title and description, and every
// tool the server lists as its siblings. Anything inconsistent (a label without a definition, a definition edited
// after it was copied, a server in neither half) is an error, so the figures are never of a set that drifted.

export type Half = "tune" | "holdout";

interface DefinitionsFile {
  server: { name: string; title: string | null; description: string | null; via?: { serverInfo?: { name?: string } } };
  siblingToolNames: string[];
  tools: { sha256: string; definition: ToolDefinition }[];
}

interface LabelsFile {
  server: string;
  tools: Record<string, RiskLabel>;
}

export interface RiskSet {
  halves: Record<Half, ScoredTool[]>;
  servers: Record<Half, string[]>;
}

export const RISK_SET_DIR = path.resolve(import.meta.dirname, "..", "..", "risk-set");

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

function checkLabel(where: string, label: RiskLabel): void {
  if (!RISK_CATEGORIES.includes(label.category)) throw new Error(`${where}: unknown category ${JSON.stringify(label.category)}`);
  for (const key of ["min", "max"] as const) {
    if (!RISK_LEVELS.includes(label[key])) throw new Error(`${where}: unknown ${key} level ${JSON.stringify(label[key])}`);
  }
  if (RISK_LEVELS.indexOf(label.min) > RISK_LEVELS.indexOf(label.max)) throw new Error(`${where}: min ${label.min} is above max ${label.max}`);
  if (typeof label.reason !== "string" || label.reason.trim() === "") throw new Error(`${where}: no reason`);
}

export function loadRiskSet(dir = RISK_SET_DIR): RiskSet {
  const split = readJson<{ tune: string[]; holdout: string[] }>(path.join(dir, "split.json"));
  const halfOf = new Map<string, Half>([...split.tune.map((name) => [name, "tune"] as const), ...split.holdout.map((name) => [name, "holdout"] as const)]);
  const set: RiskSet = { halves: { tune: [], holdout: [] }, servers: { tune: [], holdout: [] } };
  const labelFiles = readdirSync(path.join(dir, "labels")).filter((file) => file.endsWith(".json")).sort();
  for (const file of labelFiles) {
    const labels = readJson<LabelsFile>(path.join(dir, "labels", file));
    const definitions = readJson<DefinitionsFile>(path.join(dir, "definitions", file));
    const server = definitions.server;
    if (labels.server !== server.name) throw new Error(`labels/${file} is for ${labels.server}, its definitions for ${server.name}`);
    const half = halfOf.get(server.name);
    if (!half) throw new Error(`${server.name} is in neither half of risk-set/split.json`);
    const byName = new Map(definitions.tools.map((tool) => [tool.definition.name, tool]));
    for (const name of Object.keys(labels.tools)) {
      if (!byName.has(name)) throw new Error(`labels/${file}: ${name} has no definition`);
    }
    const labelled = definitions.tools.filter((tool) => {
      if (definitionHash(tool.definition) !== tool.sha256) throw new Error(`definitions/${file}: ${tool.definition.name} changed after it was copied`);
      return labels.tools[tool.definition.name] !== undefined;
    });
    const serverInfoName = server.via?.serverInfo?.name;
    const results = classifyTools(labelled.map((tool) => tool.definition as unknown as McpToolDefinition), {
      name: [server.name, server.title, serverInfoName].filter(Boolean).join(" "),
      description: server.description ?? undefined,
      siblingToolNames: definitions.siblingToolNames,
    });
    labelled.forEach((tool, index) => {
      const label = labels.tools[tool.definition.name]!;
      checkLabel(`labels/${file}: ${tool.definition.name}`, label);
      set.halves[half].push({ server: server.name, tool: tool.definition.name, label, result: results[index]! });
    });
    set.servers[half].push(server.name);
  }
  return set;
}
