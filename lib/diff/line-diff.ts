// A line diff for showing how a tool's definition changed between two syncs. Definitions are small (a few hundred
// lines at most), so the plain O(n·m) longest-common-subsequence table is fast enough and easy to trust.

export type DiffLine = { kind: "same" | "added" | "removed"; text: string };

/** The lines of `before` and `after`, in order, each marked as kept, removed (only in before) or added (only in after). */
export function lineDiff(before: readonly string[], after: readonly string[]): DiffLine[] {
  const n = before.length;
  const m = after.length;
  // lcs[i * (m + 1) + j]: length of the longest common subsequence of before[i..] and after[j..].
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        before[i] === after[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      lines.push({ kind: "same", text: before[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
      // Removals first, so a replaced line reads as "- old" then "+ new".
      lines.push({ kind: "removed", text: before[i]! });
      i++;
    } else {
      lines.push({ kind: "added", text: after[j]! });
      j++;
    }
  }
  while (i < n) lines.push({ kind: "removed", text: before[i++]! });
  while (j < m) lines.push({ kind: "added", text: after[j++]! });
  return lines;
}

/** JSON with object keys sorted at every depth, two-space indented: equal values always print the same lines. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) ?? "null";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** The diff of two JSON values, printed with `stableJson`. */
export function jsonDiff(before: unknown, after: unknown): DiffLine[] {
  return lineDiff(stableJson(before).split("\n"), stableJson(after).split("\n"));
}

export type DiffChunk = { kind: "lines"; lines: DiffLine[] } | { kind: "skipped"; count: number };

/**
 * Keeps `context` unchanged lines around each change and folds longer unchanged runs into one "skipped" chunk,
 * so a one-word change in a long schema is not lost in a wall of identical lines.
 */
export function foldUnchanged(lines: readonly DiffLine[], context = 3): DiffChunk[] {
  const keep = lines.map(() => false);
  lines.forEach((line, index) => {
    if (line.kind === "same") return;
    for (let k = Math.max(0, index - context); k <= Math.min(lines.length - 1, index + context); k++) keep[k] = true;
  });
  const chunks: DiffChunk[] = [];
  let index = 0;
  while (index < lines.length) {
    const start = index;
    const kept = keep[index]!;
    while (index < lines.length && keep[index] === kept) index++;
    const run = lines.slice(start, index);
    // Folding a single line saves nothing: show it.
    if (kept || run.length <= 1) pushLines(chunks, run);
    else chunks.push({ kind: "skipped", count: run.length });
  }
  return chunks;
}

function pushLines(chunks: DiffChunk[], lines: DiffLine[]) {
  const last = chunks.at(-1);
  if (last?.kind === "lines") last.lines.push(...lines);
  else chunks.push({ kind: "lines", lines: [...lines] });
}
