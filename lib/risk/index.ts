// The risk classifier's public surface: pure functions from MCP tool definitions to risk and recommended rules.

export { classifyTool, classifyTools, classifyInContext } from "@/lib/risk/classify";
export { prepareServerContext, type PreparedServerContext } from "@/lib/risk/server-context";
export { recommendRule, recommendPolicy, RECOMMENDED_RATE_LIMIT } from "@/lib/risk/recommend";
export { CLASSIFIER_VERSION } from "@/lib/risk/version";
export {
  RISK_CATEGORY_LABELS,
  RISK_LEVEL_LABELS,
  RISK_CATEGORY_DESCRIPTIONS,
  riskCategoryLabel,
  riskLevelLabel,
  compareRiskLevels,
} from "@/lib/risk/labels";
export { tokenizeName, tokenizeText } from "@/lib/risk/tokenize";
export * as riskVocabulary from "@/lib/risk/signals";
export * from "@/lib/risk/types";
