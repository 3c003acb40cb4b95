import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";

/**
 * Whether a user other than the owner (say `postgres`, when the app runs as root) can walk down to `dir`: every
 * folder from the root to `dir` must let others search it. Group rights are not counted, so this errs on "no".
 */
export function othersCanTraverse(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    try {
      if ((statSync(current).mode & 0o001) === 0) return false;
      accessSync(current, constants.X_OK);
    } catch {
      return false;
    }
    if (path.dirname(current) === current) return true;
  }
}
