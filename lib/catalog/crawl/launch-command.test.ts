import { describe, expect, it } from "vitest";
import { launchCommand, minimalEnvironment } from "@/lib/catalog/crawl/launch-command";

const input = {
  program: "/tmp/w/package/node_modules/pkg/dist/index.js",
  args: ["--flag", "/tmp/w/sandbox"],
  env: { API_KEY: "placeholder" },
  home: "/tmp/w/sandbox",
  binDirs: ["/tmp/w/package/node_modules/.bin"],
  nodeDir: "/opt/node/bin",
};

describe("launchCommand", () => {
  it("gives the server only PATH, HOME, TMPDIR and the placeholders", () => {
    process.env.LAUNCH_TEST_SECRET = "secret";
    try {
      expect(minimalEnvironment(input)).toEqual({
        API_KEY: "placeholder",
        PATH: "/tmp/w/package/node_modules/.bin:/opt/node/bin:/usr/local/bin:/usr/bin:/bin",
        HOME: "/tmp/w/sandbox",
        TMPDIR: "/tmp/w/sandbox/tmp",
      });
    } finally {
      delete process.env.LAUNCH_TEST_SECRET;
    }
  });

  it("clears the environment with env -i, and passes arguments as they are, without a shell parsing them", () => {
    const launch = launchCommand({ ...input, args: ["$(touch /tmp/x)", "a b"], isolation: "none" });
    expect(launch).toEqual({
      command: "env",
      args: ["-i", "API_KEY=placeholder", expect.stringMatching(/^PATH=/), "HOME=/tmp/w/sandbox", "TMPDIR=/tmp/w/sandbox/tmp", input.program, "$(touch /tmp/x)", "a b"],
    });
  });

  it("with unshare, starts the server in new network and PID namespaces, loopback up, the server's arguments after the script", () => {
    const launch = launchCommand({ ...input, isolation: "unshare" });
    const at = launch.args.indexOf("unshare");
    expect(launch.args.slice(at, at + 8)).toEqual(["unshare", "--net", "--pid", "--fork", "--kill-child", "--", "sh", "-c"]);
    expect(launch.args[at + 8]).toBe('ip link set lo up 2>/dev/null || true; unset PWD OLDPWD; exec "$@"');
    expect(launch.args.slice(at + 9)).toEqual(["sh", input.program, "--flag", "/tmp/w/sandbox"]);
  });

  it("starts Redis inside the namespace for a server that needs it, and refuses without isolation", () => {
    const launch = launchCommand({ ...input, isolation: "unshare", needs: "redis" });
    const at = launch.args.indexOf("unshare");
    // Loopback up, Redis started on it without saving anything and waited for (5 s at most), then the server.
    expect(launch.args[at + 8]).toBe(
      [
        "ip link set lo up 2>/dev/null || true",
        'command -v redis-server >/dev/null || { echo "redis-server is not installed on this machine" >&2; exit 127; }',
        'redis-server --port 6379 --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --dir "$HOME" --logfile "" >/dev/null',
        "for i in $(seq 50); do redis-cli -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done",
        "unset PWD OLDPWD",
        'exec "$@"',
      ].join("; "),
    );
    expect(launch.args.slice(at + 9)).toEqual(["sh", input.program, "--flag", "/tmp/w/sandbox"]);
    expect(() => launchCommand({ ...input, isolation: "none", needs: "redis" })).toThrow("This server needs redis, which the crawler starts only inside the server's own network namespace, and unshare is unavailable here.");
  });
});
