import { isPlainObject } from "@/lib/json/is-plain-object";
import { RISK_CATEGORIES, RISK_LEVELS, type RiskCategory, type RiskLevel } from "@/lib/risk/types";

/** What a "reclassified" tool change keeps as its before and after. */
export interface ClassificationRecord {
  category: RiskCategory;
  level: RiskLevel;
  classifierVersion: number;
}

/** A change's before or after read back from JSON, or null when it is not a classification. */
export function readClassificationRecord(value: unknown): ClassificationRecord | null {
  if (!isPlainObject(value)) return null;
  const { category, level, classifierVersion } = value;
  if (!RISK_CATEGORIES.includes(category as RiskCategory) || !RISK_LEVELS.includes(level as RiskLevel)) return null;
  if (typeof classifierVersion !== "number" || !Number.isInteger(classifierVersion)) return null;
  return { category: category as RiskCategory, level: level as RiskLevel, classifierVersion };
}
