// The classifier's version. Classifications stored outside a person's hands (the catalog's tools) are recomputed when
// it differs from the version they were computed with, so bump it with every change that can alter a category, a level
// or a reason: lib/risk/version.test.ts fails until you do.

export const CLASSIFIER_VERSION = 1;
