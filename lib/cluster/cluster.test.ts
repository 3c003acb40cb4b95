import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findHaproxy, haproxyConfig } from "@/lib/cluster/cluster";

const dir = mkdtempSync(path.join(os.tmpdir(), "portcullis-find-haproxy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("findHaproxy", () => {
  it("finds an executable haproxy on the PATH or in the system folders, and nothing else", () => {
    expect(findHaproxy("", [])).toBeNull();
    expect(findHaproxy(path.join(dir, "missing"), [path.join(dir, "also-missing")])).toBeNull();

    // Present but not executable: not found.
    writeFileSync(path.join(dir, "haproxy"), "#!/bin/sh\n");
    chmodSync(path.join(dir, "haproxy"), 0o644);
    expect(findHaproxy(dir, [])).toBeNull();
    chmodSync(path.join(dir, "haproxy"), 0o755);
    expect(findHaproxy(dir, [])).toBe(path.join(dir, "haproxy"));
    // Debian installs it in /usr/sbin, which is not on every user's PATH.
    expect(findHaproxy("/nonexistent", [dir])).toBe(path.join(dir, "haproxy"));
  });
});

describe("haproxyConfig", () => {
  it("balances round robin over every instance on loopback and retries only refused connections elsewhere", () => {
    const config = haproxyConfig({ frontPort: 8080, statsPort: 8081, instancePorts: [4001, 4002, 4003] });
    expect(config).toContain("bind 127.0.0.1:8080");
    expect(config).toContain("bind 127.0.0.1:8081");
    expect(config).toContain("balance roundrobin");
    expect(config.match(/^ {2}server instance\d 127\.0\.0\.1:\d+$/gm)).toEqual([
      "  server instance1 127.0.0.1:4001",
      "  server instance2 127.0.0.1:4002",
      "  server instance3 127.0.0.1:4003",
    ]);
    // A request that reached an instance is never sent again: only connection failures are retried.
    expect(config).not.toContain("retry-on");
    expect(config).toContain("option redispatch 1");
  });
});
