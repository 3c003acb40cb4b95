// The classifier's version. Stored classifications (a registered server's tools, the catalog's) are recomputed when
// it differs from the version they were computed with, so bump it with every change that can alter a category, a
// level or a reason: lib/risk/version.test.ts fails until you do. Each version has a release name people see
// ("level High -> Medium, classifier 2026.12").

export const CLASSIFIER_VERSION = 7;

const RELEASES: Readonly<Record<number, string>> = {
  1: "2026.11",
  2: "2026.12",
  3: "2026.12.2",
  4: "2026.12.3",
  5: "2026.12.4",
  6: "2026.12.5",
  7: "2026.12.6",
};

/** The name people see for a classifier version; an unknown one (a newer instance's) is shown by its number. */
export function classifierRelease(version: number): string {
  return RELEASES[version] ?? `v${version}`;
}
