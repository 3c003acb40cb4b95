import type { RiskCategory, RiskLevel } from "@/lib/risk/types";

// Display names in the product's words, kept next to the classifier so every surface (console, CLI, API docs)
// names categories and levels the same way.

export const RISK_CATEGORY_LABELS: Readonly<Record<RiskCategory, string>> = {
  read: "Read",
  write: "Write",
  execute: "Execute",
  destructive: "Destructive",
  financial: "Financial",
  communication: "Communication",
  access_control: "Access control",
};

export const RISK_LEVEL_LABELS: Readonly<Record<RiskLevel, string>> = {
  low: "Low",
  medium: "Medium",
  high: "High",
  critical: "Critical",
};

/** One line per category, for tooltips and docs. */
export const RISK_CATEGORY_DESCRIPTIONS: Readonly<Record<RiskCategory, string>> = {
  read: "Looks things up without changing them.",
  write: "Creates or changes data.",
  execute: "Runs code, commands or workflows.",
  destructive: "Deletes or overwrites data.",
  financial: "Moves money or changes what someone is billed.",
  communication: "Sends messages or publishes to people.",
  access_control: "Changes who may do what.",
};

export function riskCategoryLabel(category: RiskCategory): string {
  return RISK_CATEGORY_LABELS[category];
}

export function riskLevelLabel(level: RiskLevel): string {
  return RISK_LEVEL_LABELS[level];
}

const LEVEL_RANK: Readonly<Record<RiskLevel, number>> = { low: 0, medium: 1, high: 2, critical: 3 };

/** Negative when `a` is lower than `b`: for sorting tools by risk. */
export function compareRiskLevels(a: RiskLevel, b: RiskLevel): number {
  return LEVEL_RANK[a] - LEVEL_RANK[b];
}
