import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { classifyTools } from "@/lib/risk/classify";
import { REAL_WORLD_TOOLS } from "@/lib/risk/fixtures/real-world-tools";
import { CLASSIFIER_VERSION } from "@/lib/risk/version";

// What the classifier says about the real-world table, as one digest per version. When a change to lib/risk alters
// any category, level or reason, this fails: bump CLASSIFIER_VERSION (so stored classifications are recomputed) and
// record the new digest here.
const FINGERPRINTS: Record<number, string> = {
  1: "c4791fc4cb60ba4b8f570348d36239184c18283894e00328e81ad004d3de3c0e",
  2: "72606604bb016eebda29c878c15620df6accd7acca0279899de8185d1880a200",
};

function fingerprint(): string {
  const servers = [...new Set(REAL_WORLD_TOOLS.map((row) => row.server))];
  const results = servers.flatMap((server) =>
    classifyTools(REAL_WORLD_TOOLS.filter((row) => row.server === server).map((row) => row.tool), { name: server }),
  );
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
