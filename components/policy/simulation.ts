import type { JsonValue } from "@/lib/policy";
import type { SimulateResult } from "@/lib/query-hooks/policies";

/** A simulated call as the simulator shows it: what was asked, under which policy and grant, and the decision. */
export interface Simulated {
  tool: string;
  args: Record<string, JsonValue>;
  source: string;
  grant: string;
  result: SimulateResult;
  /** Arguments the tool's own schema requires that the call leaves out. */
  missing: string[];
}

/** Simulates a call with these arguments; `missing` names required ones left out. */
export type RunCall = (args: Record<string, JsonValue>, missing: string[]) => void;

/** The simulator's text fields and selects. */
export const simulatorInputClass =
  "block h-9 w-full rounded-md border border-zinc-300 bg-white px-2.5 text-sm shadow-xs placeholder:text-zinc-400 dark:border-zinc-700 dark:bg-zinc-900";
