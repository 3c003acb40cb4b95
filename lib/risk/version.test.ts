import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { classifyTools } from "@/lib/risk/classify";
import { REAL_WORLD_TOOLS } from "@/lib/risk/fixtures/real-world-tools";
import { CLASSIFIER_VERSION } from "@/lib/risk/version";

// What the classifier says about the real-world table, as one digest per version. When a change to lib/risk alters
// any category, level or reason, this fails: bump CLASSIFIER_VERSION (so stored classifications are recomputed) and
// record the new digest here.
// Version 1's digest was of the rows alone; from version 2 on it also covers the rows with destructiveHint.
const FINGERPRINTS: Record<number, string> = {
  2: "6f46768c222905617b70646cfedeaa347d75656f25c107c6645cc1c9f6df207e",
  3: "9c9feca01e314d41bdf8b9fffb98da51937bcbbce3a954b4de19564d92f30071",
  4: "df726e1feb863256f9d88193728719be41ebe104e535a85242df925ff281dbdf",
  5: "3f6ae3c7f9d38054d80a545b86756031e4477c00b612078a5ff1a174b08a766e",
  6: "9e7d9cd2b38c4842117487eee1eacddbfdf64a18efdd983b18a670f4bda738d2",
  // 2026.12.6 moved tools of the risk set and of the catalog, none of this table's: the same digest as 6.
  7: "9e7d9cd2b38c4842117487eee1eacddbfdf64a18efdd983b18a670f4bda738d2",
};

function fingerprint(): string {
  const servers = [...new Set(REAL_WORLD_TOOLS.map((row) => row.server))];
  // Each row as listed, and again with MCP's default destructiveHint, so the reasons annotations give are covered too.
  const results = servers.flatMap((server) => {
    const tools = REAL_WORLD_TOOLS.filter((row) => row.server === server).map((row) => row.tool);
    const hinted = tools.map((tool) => ({ ...tool, annotations: { ...tool.annotations, destructiveHint: true } }));
    return [...classifyTools(tools, { name: server }), ...classifyTools(hinted, { name: server })];
  });
  return createHash("sha256").update(JSON.stringify(results)).digest("hex");
}

describe("CLASSIFIER_VERSION", () => {
  it("names the classifier's current behaviour (bump it and record the digest when the output changes)", () => {
    const digest = fingerprint();
    expect(
      FINGERPRINTS[CLASSIFIER_VERSION],
      `The classifier's output changed (digest ${digest}). Bump CLASSIFIER_VERSION in lib/risk/version.ts and record ${digest} for it in this file.`,
    ).toBe(digest);
  });
});
