import type pg from "pg";
import { getPool } from "@/lib/db/client";

export type DatabaseHealth = { status: "up"; latencyMs: number } | { status: "down"; error: string };

/** Runs `SELECT 1` with a deadline, so a hung database reads as down instead of hanging the health check. */
export async function checkDatabase(timeoutMs = 2_000, pool?: pg.Pool): Promise<DatabaseHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      (pool ?? getPool()).query("SELECT 1"),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: "up", latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { status: "down", error: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/ECONNREFUSED/.test(message)) return "connection refused";
  // Never echo connection strings or credentials.
  return message.replace(/postgres(ql)?:\/\/\S+/g, "postgres://…").slice(0, 200);
}
