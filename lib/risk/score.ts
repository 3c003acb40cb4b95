import { RISK_CATEGORIES, RISK_LEVELS, type RiskCategory, type RiskClassification, type RiskLevel } from "@/lib/risk/types";

// Scores classifications against labels made by the rubric in docs/risk-levels.md. Pure: the caller loads the labelled
// set (lib/risk-set) and classifies it, so the same figures come out of `npm run risk:eval` and the unit test.

export interface RiskLabel {
  category: RiskCategory;
  min: RiskLevel;
  max: RiskLevel;
  reason: string;
}

export interface ScoredTool {
  server: string;
  tool: string;
  label: RiskLabel;
  result: RiskClassification;
}

export interface RiskScore {
  tools: number;
  /** The label's category. */
  category: Ratio;
  /** Labelled High or Critical (min >= high) and classified High or Critical. */
  dangerousRecall: Ratio;
  /** Labelled Low or Medium (max <= medium) and classified Low or Medium. */
  benignKept: Ratio;
  /** Classified within the label's range. */
  inRange: Ratio;
  /** Rows: the label's range ("low", "medium..high"); columns: the classified level. */
  levelMatrix: Map<string, Record<RiskLevel, number>>;
  categoryMatrix: Map<RiskCategory, Record<RiskCategory, number>>;
}

export interface Ratio {
  hits: number;
  of: number;
}

export const RISK_GOALS = { category: 0.95, dangerousRecall: 0.97, benignKept: 0.95, inRange: 0.9 } as const;

const rank = (level: RiskLevel) => RISK_LEVELS.indexOf(level);

export function isDangerous(label: RiskLabel): boolean {
  return rank(label.min) >= rank("high");
}

export function isBenign(label: RiskLabel): boolean {
  return rank(label.max) <= rank("medium");
}

export function inLabelledRange(label: RiskLabel, level: RiskLevel): boolean {
  return rank(label.min) <= rank(level) && rank(level) <= rank(label.max);
}

export function rangeName(label: RiskLabel): string {
  return label.min === label.max ? label.min : `${label.min}..${label.max}`;
}

export function ratio({ hits, of }: Ratio): number {
  return of === 0 ? 1 : hits / of;
}

export function scoreRisk(tools: readonly ScoredTool[]): RiskScore {
  const score: RiskScore = {
    tools: tools.length,
    category: { hits: 0, of: 0 },
    dangerousRecall: { hits: 0, of: 0 },
    benignKept: { hits: 0, of: 0 },
    inRange: { hits: 0, of: 0 },
    levelMatrix: new Map(),
    categoryMatrix: new Map(),
  };
  const emptyLevels = () => Object.fromEntries(RISK_LEVELS.map((level) => [level, 0])) as Record<RiskLevel, number>;
  const emptyCategories = () => Object.fromEntries(RISK_CATEGORIES.map((category) => [category, 0])) as Record<RiskCategory, number>;
  for (const { label, result } of tools) {
    score.category.of++;
    if (result.category === label.category) score.category.hits++;
    if (isDangerous(label)) {
      score.dangerousRecall.of++;
      if (rank(result.level) >= rank("high")) score.dangerousRecall.hits++;
    }
    if (isBenign(label)) {
      score.benignKept.of++;
      if (rank(result.level) <= rank("medium")) score.benignKept.hits++;
    }
    score.inRange.of++;
    if (inLabelledRange(label, result.level)) score.inRange.hits++;
    const row = rangeName(label);
    if (!score.levelMatrix.has(row)) score.levelMatrix.set(row, emptyLevels());
    score.levelMatrix.get(row)![result.level]++;
    if (!score.categoryMatrix.has(label.category)) score.categoryMatrix.set(label.category, emptyCategories());
    score.categoryMatrix.get(label.category)![result.category]++;
  }
  return score;
}

/** Whether a classification misses its label in any way the figures count. */
export function misses(tool: ScoredTool): string[] {
  const { label, result } = tool;
  const found: string[] = [];
  if (result.category !== label.category) found.push(`category ${result.category}, labelled ${label.category}`);
  if (!inLabelledRange(label, result.level)) found.push(`level ${result.level}, labelled ${rangeName(label)}`);
  return found;
}
