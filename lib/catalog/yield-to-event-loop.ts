import { setImmediate } from "node:timers/promises";

// Loading the catalog parses, checks and classifies every tool in the app's own process, at start and after a
// classifier change: seconds of work (1.5 s to parse the committed snapshot, 0.6 s to classify it, several times that
// on a loaded machine). Done in one go, it would stop the process from answering anything meanwhile (sign-ups,
// gateway calls) though the instance already says it is ready. Long loops over servers give way after each server,
// which takes at most tens of milliseconds, so requests are served between them.

export const yieldToEventLoop = (): Promise<void> => setImmediate();
