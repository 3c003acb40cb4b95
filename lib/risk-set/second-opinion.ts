import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { RISK_SET_DIR, type Half, type RiskSet } from "@/lib/risk-set/load-risk-set";
import { isBenign, isDangerous, type Ratio, type RiskLabel, type ScoredTool } from "@/lib/risk/score";
import { RISK_CATEGORIES, RISK_LEVELS } from "@/lib/risk/types";

// A second reviewer's labels for a sample of risk-set/ (risk-set/second-opinion/), made from the definitions and the
// rubric without seeing the first labels or the classifier. How often two careful people agree bounds what any
// classifier can be shown to reach against one of them: a goal above that agreement measures the labels, not the
// classifier.

export interface SecondOpinion {
  half: Half;
  /** The first labels and the classifier's result, as loadRiskSet scored them. */
  scored: ScoredTool;
  second: RiskLabel;
}

export const SECOND_OPINION_DIR = path.join(RISK_SET_DIR, "second-opinion");

const rank = (level: RiskLabel["min"]) => RISK_LEVELS.indexOf(level);

function checkLabel(where: string, label: RiskLabel): void {
  if (!RISK_CATEGORIES.includes(label.category)) throw new Error(`${where}: unknown category ${JSON.stringify(label.category)}`);
  if (!RISK_LEVELS.includes(label.min) || !RISK_LEVELS.includes(label.max) || rank(label.min) > rank(label.max)) {
    throw new Error(`${where}: bad range ${JSON.stringify(label.min)}..${JSON.stringify(label.max)}`);
  }
  if (typeof label.reason !== "string" || label.reason.trim() === "") throw new Error(`${where}: no reason`);
}

/** Pairs every second-opinion label with the tool's first label; a tool the first labels do not hold is an error. */
export function loadSecondOpinions(set: RiskSet, dir = SECOND_OPINION_DIR): SecondOpinion[] {
  if (!existsSync(dir)) return [];
  const byKey = new Map<string, { half: Half; scored: ScoredTool }>();
  for (const half of ["tune", "holdout"] as const) {
    for (const scored of set.halves[half]) byKey.set(`${scored.server}\n${scored.tool}`, { half, scored });
  }
  const opinions: SecondOpinion[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".json")).sort()) {
    const document = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as { server: string; tools: Record<string, RiskLabel> };
    for (const [tool, second] of Object.entries(document.tools)) {
      const where = `second-opinion/${file}: ${tool}`;
      const first = byKey.get(`${document.server}\n${tool}`);
      if (!first) throw new Error(`${where} has no first label in risk-set/labels`);
      checkLabel(where, second);
      opinions.push({ ...first, second });
    }
  }
  return opinions;
}

export interface Agreement {
  tools: number;
  /** The same category. */
  category: Ratio;
  /** Labelled dangerous by the first: the second's range is High or above, at worst and at best. */
  dangerous: { atWorst: Ratio; atBest: Ratio };
  /** Labelled benign by the first: the second's range is Low or Medium, at worst and at best. */
  benign: { atWorst: Ratio; atBest: Ratio };
  /** The second's range inside the first's (at worst), or meeting it (at best). */
  inRange: { atWorst: Ratio; atBest: Ratio };
}

/**
 * The second reviewer scored against the first as the classifier is. A reviewer's range means either level is
 * right to them: "at worst" counts a tool only when every level of the second range passes, "at best" when one does.
 */
export function scoreAgreement(pairs: readonly { first: RiskLabel; second: RiskLabel }[]): Agreement {
  const ratio = (): Ratio => ({ hits: 0, of: 0 });
  const agreement: Agreement = {
    tools: pairs.length,
    category: ratio(),
    dangerous: { atWorst: ratio(), atBest: ratio() },
    benign: { atWorst: ratio(), atBest: ratio() },
    inRange: { atWorst: ratio(), atBest: ratio() },
  };
  const count = (target: Ratio, hit: boolean) => {
    target.of++;
    if (hit) target.hits++;
  };
  for (const { first, second } of pairs) {
    count(agreement.category, first.category === second.category);
    if (isDangerous(first)) {
      count(agreement.dangerous.atWorst, rank(second.min) >= rank("high"));
      count(agreement.dangerous.atBest, rank(second.max) >= rank("high"));
    }
    if (isBenign(first)) {
      count(agreement.benign.atWorst, rank(second.max) <= rank("medium"));
      count(agreement.benign.atBest, rank(second.min) <= rank("medium"));
    }
    count(agreement.inRange.atWorst, rank(first.min) <= rank(second.min) && rank(second.max) <= rank(first.max));
    count(agreement.inRange.atBest, rank(second.min) <= rank(first.max) && rank(first.min) <= rank(second.max));
  }
  return agreement;
}
