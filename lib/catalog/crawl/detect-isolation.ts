import { spawnSync } from "node:child_process";
import type { Isolation } from "@/lib/catalog/crawl/launch-command";

/** "unshare" when this process may make network and PID namespaces (it needs root), else "none". */
export function detectIsolation(): Isolation {
  const probe = spawnSync("unshare", ["--net", "--pid", "--fork", "--kill-child", "--", "true"], { stdio: "ignore", timeout: 10_000 });
  return probe.status === 0 ? "unshare" : "none";
}
