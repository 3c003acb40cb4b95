// npm run risk:eval: the classifier scored against risk-set/ (real tool definitions labelled by docs/risk-levels.md),
// for the half the rules are tuned on and for the held-out half, which is only ever scored.
//   --misses   lists every tuning-half tool the classifier gets wrong, with its label's reason and the classifier's.
//   --tune-only  prints the tuning half alone, for the loop of changing a rule and looking again: choosing between
//              rules by the held-out figures would tune on them too, so look at those once, when a change is done.
// The held-out half's misses are never listed: reading them would make it a second tuning half.
import { loadRiskSet, type Half } from "@/lib/risk-set/load-risk-set";
import { loadSecondOpinions, scoreAgreement } from "@/lib/risk-set/second-opinion";
import { isBenign, isDangerous, misses, ratio, RISK_GOALS, scoreRisk, type Ratio, type RiskScore } from "@/lib/risk/score";
import { RISK_CATEGORIES, RISK_LEVELS } from "@/lib/risk/types";
import { CLASSIFIER_VERSION, classifierRelease } from "@/lib/risk/version";

const percent = (r: Ratio) => `${(ratio(r) * 100).toFixed(1).padStart(5)} %  (${r.hits}/${r.of})`;

function printScore(half: Half, score: RiskScore, servers: number): void {
  const goal = (value: Ratio, target: number) => (half === "holdout" ? (ratio(value) >= target ? `  goal ${target * 100} %: met` : `  goal ${target * 100} %: MISSED`) : "");
  console.log(`\n## ${half === "tune" ? "Tuning half" : "Held-out half"}: ${score.tools} tools from ${servers} servers`);
  console.log(`category accuracy          ${percent(score.category)}${goal(score.category, RISK_GOALS.category)}`);
  console.log(`dangerous recall           ${percent(score.dangerousRecall)}${goal(score.dangerousRecall, RISK_GOALS.dangerousRecall)}`);
  console.log(`benign kept at Low/Medium  ${percent(score.benignKept)}${goal(score.benignKept, RISK_GOALS.benignKept)}`);
  console.log(`level within the label     ${percent(score.inRange)}${goal(score.inRange, RISK_GOALS.inRange)}`);
  console.log(`\nlevels (rows: labelled range, columns: classified)`);
  console.log(`${"".padEnd(18)}${RISK_LEVELS.map((level) => level.padStart(9)).join("")}`);
  const rows = [...score.levelMatrix.entries()].sort(([a], [b]) => order(a) - order(b));
  for (const [row, counts] of rows) console.log(`${row.padEnd(18)}${RISK_LEVELS.map((level) => String(counts[level]).padStart(9)).join("")}`);
  console.log(`\ncategories (rows: labelled, columns: classified)`);
  const short = (c: string) => c.replace("access_control", "access").replace("communication", "comms").replace("destructive", "destroy").replace("financial", "money");
  console.log(`${"".padEnd(15)}${RISK_CATEGORIES.map((c) => short(c).padStart(9)).join("")}`);
  for (const category of RISK_CATEGORIES) {
    const counts = score.categoryMatrix.get(category);
    if (counts) console.log(`${short(category).padEnd(15)}${RISK_CATEGORIES.map((c) => String(counts[c]).padStart(9)).join("")}`);
  }
}

function order(range: string): number {
  const [min, max = min] = range.split("..") as [string, string?];
  return RISK_LEVELS.indexOf(min as never) * 10 + RISK_LEVELS.indexOf(max as never);
}

const set = loadRiskSet();
const all = [...set.halves.tune, ...set.halves.holdout];
console.log(`# Risk classifier ${classifierRelease(CLASSIFIER_VERSION)} (version ${CLASSIFIER_VERSION}) on risk-set/`);
console.log(
  `${all.length} labelled real tools from ${set.servers.tune.length + set.servers.holdout.length} servers: ` +
    `${all.filter((t) => isBenign(t.label)).length} benign, ${all.filter((t) => isDangerous(t.label)).length} dangerous, ` +
    `${all.filter((t) => !isBenign(t.label) && !isDangerous(t.label)).length} straddling Medium and High`,
);
const halves = process.argv.includes("--tune-only") ? (["tune"] as const) : (["tune", "holdout"] as const);
for (const half of halves) printScore(half, scoreRisk(set.halves[half]), set.servers[half].length);

// How often a second reviewer, labelling a sample blind, agrees with the first: what the labels themselves support.
const opinions = loadSecondOpinions(set);
if (opinions.length > 0) {
  const agreement = scoreAgreement(opinions.map(({ scored, second }) => ({ first: scored.label, second })));
  const classifier = scoreRisk(opinions.map(({ scored }) => scored));
  const both = (pair: { atWorst: Ratio; atBest: Ratio }) => `${percent(pair.atWorst)}  to ${percent(pair.atBest)}`;
  const halves = ["tune", "holdout"].map((half) => `${opinions.filter((o) => o.half === half).length} ${half === "tune" ? "tuning" : "held-out"}`);
  console.log(`\n## Two reviewers: a second label, made blind, for ${opinions.length} tools (${halves.join(", ")}; risk-set/second-opinion)`);
  console.log(`Each row scores the second reviewer against the first labels as the classifier is scored; a second range counts`);
  console.log(`at worst when all of it passes, at best when one level does. The classifier on the same tools is beside it.`);
  console.log(`${"".padEnd(27)}${"second reviewer (worst to best)".padEnd(46)}classifier`);
  console.log(`category                   ${percent(agreement.category).padEnd(46)}${percent(classifier.category)}`);
  console.log(`dangerous at High+         ${both(agreement.dangerous).padEnd(46)}${percent(classifier.dangerousRecall)}`);
  console.log(`benign kept at Low/Medium  ${both(agreement.benign).padEnd(46)}${percent(classifier.benignKept)}`);
  console.log(`level within the label     ${both(agreement.inRange).padEnd(46)}${percent(classifier.inRange)}`);
}

if (process.argv.includes("--misses")) {
  console.log(`\n## Tuning-half misses`);
  for (const tool of set.halves.tune) {
    const found = misses(tool);
    if (found.length === 0) continue;
    console.log(`\n${tool.server} ${tool.tool}: ${found.join("; ")}`);
    console.log(`  label: ${tool.label.reason}`);
    console.log(`  classifier: ${tool.result.reasons.join(" | ")}`);
  }
}
