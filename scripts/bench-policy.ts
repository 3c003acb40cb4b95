// Benchmarks the policy core on a 1,000-rule policy with globs. Usage: npx tsx scripts/bench-policy.ts
// Goals (issue 4): compile under 50 ms; at least 1,000,000 decisions per second on one core. The baseline is the
// same evaluator with the index and memo replaced by a scan of every rule in precedence order.
import Ajv2020 from "ajv/dist/2020";
import { compilePolicy, matchByScan, type CompiledPolicy } from "../lib/policy/compile";
import { decideByRule, evaluate } from "../lib/policy/evaluate";
import { validatePolicy } from "../lib/policy/schema";
import type { EvaluationContext, PolicyDecision, PolicyRule, ToolCall } from "../lib/policy/types";

const SERVICES = Array.from({ length: 50 }, (_, i) => `svc${i}`);
const VERBS = ["get", "list", "create", "update", "delete"];
const NOUNS = Array.from({ length: 20 }, (_, i) => `item${i}`);

/** A small deterministic generator, so every run measures the same policy and calls. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const rand = random(42);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

const universe = SERVICES.flatMap((s) => VERBS.flatMap((v) => NOUNS.map((n) => `${s}_${v}_${n}`)));

function buildPolicy() {
  const tools: Record<string, PolicyRule> = {};
  let withArgs = 0;
  const argsRule = (i: number): PolicyRule => {
    withArgs++;
    return { args: { limit: { type: "integer", minimum: 1, maximum: 100 + (i % 50) }, path: { type: "string", pattern: "^/tmp/" } } };
  };
  const exact = new Set<string>();
  while (exact.size < 500) exact.add(pick(universe));
  [...exact].forEach((name, i) => {
    if (i % 10 === 0) tools[name] = argsRule(i);
    else if (i % 7 === 0) tools[name] = { limits: [{ counter: `c${i % 20}`, window: "minute", max: 100, scope: "grant" }] };
    else if (i % 11 === 0) tools[name] = { action: "deny", reason: "Not for agents." };
    else if (i % 13 === 0) tools[name] = { action: "require_approval" };
    else tools[name] = {};
  });
  let i = 0;
  for (const s of SERVICES) for (const v of VERBS) tools[`${s}_${v}_*`] = i++ % 5 === 0 ? argsRule(i) : v === "delete" ? { action: "deny" } : {};
  for (const n of NOUNS) tools[`*_${n}`] = { action: "require_approval" };
  for (const v of VERBS) for (const n of NOUNS) tools[`*_${v}_${n}`] = {};
  for (let k = 0; k < 30; k++) tools[`*_legacy${k}`] = { action: "deny" };
  for (let k = 1; k < 50; k++) tools[`svc${k}_?et_*`] = {};
  for (let k = 0; k < 50; k++) tools[`*_${pick(VERBS)}${k}_*`] = {};
  tools["*"] = { action: "deny", reason: "Unknown tools are refused." };
  const count = Object.keys(tools).length;
  const kinds = {
    exact: exact.size,
    prefix: SERVICES.length * VERBS.length,
    suffix: NOUNS.length + VERBS.length * NOUNS.length + 30,
    other: count - exact.size - SERVICES.length * VERBS.length - (NOUNS.length + VERBS.length * NOUNS.length + 30) - 1,
  };
  return { doc: { version: "1", default: "deny", tools }, count, withArgs, kinds, exact };
}

function buildCalls(exact: Set<string>, n: number): ToolCall[] {
  const exactList = [...exact];
  const globOnly = universe.filter((u) => !exact.has(u));
  const calls: ToolCall[] = [];
  for (let k = 0; k < n; k++) {
    const r = rand();
    const tool = r < 0.4 ? pick(exactList) : r < 0.8 ? pick(globOnly) : `other_tool_${Math.floor(rand() * 1000)}`;
    const bad = rand() < 0.1;
    calls.push({ tool, args: { limit: bad ? 500 : 50, path: bad ? "/etc/passwd" : "/tmp/report.csv", query: "status:open" } });
  }
  return calls;
}

// Usage as a counter store would report it; a few counters are used up, so some calls are rate limited.
const ctx: EvaluationContext = {
  now: Date.UTC(2025, 0, 1, 12, 0, 30),
  grantId: "grant_1",
  serverId: "server_1",
  usage: (_key, counter) => (counter === "c7" || counter === "c14" ? 100 : 3),
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs `decide` over the calls for about `ms` milliseconds and returns decisions per second. */
function throughput(calls: ToolCall[], decide: (call: ToolCall) => PolicyDecision, ms: number): { perSecond: number; checksum: number } {
  let checksum = 0;
  for (let k = 0; k < Math.min(calls.length, 20_000); k++) checksum += decide(calls[k]!).counters.length;
  let done = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let k = 0; k < calls.length; k++) if (decide(calls[k]!).decision === "allow") checksum++;
    done += calls.length;
    elapsed = performance.now() - started;
  }
  return { perSecond: (done / elapsed) * 1000, checksum };
}

function fmtRate(perSecond: number): string {
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M/s` : `${(perSecond / 1e3).toFixed(1)} k/s`;
}

function main() {
  const { doc, count, withArgs, kinds, exact } = buildPolicy();
  const validation = validatePolicy(doc);
  if (!validation.ok) throw new Error(`The benchmark policy is invalid: ${validation.errors[0]?.message}`);
  const document = validation.document;
  const calls = buildCalls(exact, 10_000);

  // Eager first, while no validator has been compiled: it shows what the lazy default saves at compile time.
  let started = performance.now();
  compilePolicy(document, { eagerValidators: true });
  const eagerMs = performance.now() - started;

  const compileTimes: number[] = [];
  let compiled: CompiledPolicy = compilePolicy(document);
  for (let k = 0; k < 30; k++) {
    started = performance.now();
    compiled = compilePolicy(document);
    compileTimes.push(performance.now() - started);
  }
  const compileMs = median(compileTimes);
  const validateTimes: number[] = [];
  for (let k = 0; k < 10; k++) {
    started = performance.now();
    validatePolicy(doc);
    validateTimes.push(performance.now() - started);
  }
  const validateMs = median(validateTimes);

  const noMemo = compilePolicy(document, { cacheSize: 0 });
  for (const call of calls) {
    const a = evaluate(compiled, call, ctx);
    const b = decideOrDefault(compiled, matchByScan(compiled, call.tool), call);
    if (a.code !== b.code || a.matchedRule !== b.matchedRule) throw new Error(`Disagreement on ${call.tool}: ${a.code} vs ${b.code}`);
  }

  const memo = throughput(calls, (call) => evaluate(compiled, call, ctx), 2000);
  const index = throughput(calls, (call) => evaluate(noMemo, call, ctx), 1500);
  const scan = throughput(calls, (call) => decideOrDefault(compiled, matchByScan(compiled, call.tool), call), 1500);

  const patternCheck = patternCheckCost(compiled, calls);

  const mix = { allow: 0, deny: 0, require_approval: 0, rate_limited: 0, argument_violation: 0 };
  for (const call of calls) {
    const d = evaluate(compiled, call, ctx);
    if (d.code === "argument_violation") mix.argument_violation++;
    else mix[d.decision]++;
  }

  const ok = (pass: boolean) => (pass ? "met" : "MISSED");
  const rows: [string, string, string][] = [
    ["compile, validators lazy (median of 30)", `${compileMs.toFixed(2)} ms`, `< 50 ms: ${ok(compileMs < 50)}`],
    ["compile, all validators eager (cold)", `${eagerMs.toFixed(1)} ms`, "-"],
    ["validate the document (median of 10)", `${validateMs.toFixed(2)} ms`, "-"],
    ["decisions/s, compiled (index + memo)", fmtRate(memo.perSecond), `>= 1 M/s: ${ok(memo.perSecond >= 1e6)}`],
    ["decisions/s, compiled (index, no memo)", fmtRate(index.perSecond), "-"],
    ["decisions/s, baseline (scan every rule)", fmtRate(scan.perSecond), "-"],
    ["argument check with a pattern, RE2 (now)", `${patternCheck.re2.toFixed(0)} ns/call`, "-"],
    ["the same with JavaScript's RegExp (before)", `${patternCheck.backtracking.toFixed(0)} ns/call`, "-"],
  ];
  const width = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length)), Math.max(...rows.map((r) => r[2].length))];
  const line = (cells: string[]) => `| ${cells.map((c, k) => c.padEnd(width[k]!)).join(" | ")} |`;

  console.log(`Policy: ${count} rules (${kinds.exact} exact, ${kinds.prefix} prefix globs, ${kinds.suffix} suffix globs, ${kinds.other} other globs, "*"); ${withArgs} check arguments.`);
  console.log(`Calls: ${calls.length} (40% exact names, 40% names only globs match, 20% that fall through to "*"); decisions: ${JSON.stringify(mix)}.`);
  console.log(`Node ${process.version}, one thread.\n`);
  console.log(line(["measurement", "result", "goal"]));
  console.log(line(width.map((w) => "-".repeat(w))));
  for (const row of rows) console.log(line(row));
  console.log(`\nSpeed-up over the baseline: ${(memo.perSecond / scan.perSecond).toFixed(0)}x with the memo, ${(index.perSecond / scan.perSecond).toFixed(1)}x from the index alone.`);
  if (memo.checksum + index.checksum + scan.checksum < 0) console.log("");
}

/**
 * The argument check of a rule with a `pattern`, per call, as the gateway runs it (RE2, after measuring the values)
 * and as it ran before (ajv with JavaScript's backtracking RegExp), on the benchmark's arguments that pass (a refusal
 * also builds its messages, the same work either way).
 */
function patternCheckCost(compiled: CompiledPolicy, calls: ToolCall[]): { re2: number; backtracking: number } {
  const rule = compiled.rules.find((r) => r.args?.path?.pattern !== undefined)!;
  const before = new Ajv2020({ allErrors: true, strict: false, validateSchema: false, meta: false, code: { optimize: false } }).compile({
    type: "object",
    properties: rule.args,
  });
  const args = calls.map((c) => c.args).filter((a) => before(a)).slice(0, 1000);
  const perCall = (check: (a: unknown) => unknown) => {
    for (const a of args) check(a);
    let done = 0;
    const started = performance.now();
    while (performance.now() - started < 1000) {
      for (const a of args) check(a);
      done += args.length;
    }
    return ((performance.now() - started) * 1e6) / done;
  };
  return { re2: perCall((a) => rule.checkArgs(a)), backtracking: perCall((a) => before(a)) };
}

function decideOrDefault(compiled: CompiledPolicy, rule: ReturnType<typeof matchByScan>, call: ToolCall): PolicyDecision {
  return rule === null ? compiled.defaultDecision : decideByRule(rule, call, ctx);
}

main();
