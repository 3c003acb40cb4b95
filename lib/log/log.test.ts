import { describe, expect, it } from "vitest";
import { createLogger, formatLine, logFormat, logValue, REDACTED, type LogLevel } from "@/lib/log/log";

const AT = new Date("2026-12-07T10:00:00.000Z");

describe("the log's lines", () => {
  it("writes JSON with its reserved names first, and a field cannot overwrite them", () => {
    const line = formatLine("json", "error", "gateway", "admit statement failed", { requestId: "r-1", level: "info", msg: "x", rows: 3 }, AT);
    expect(JSON.parse(line)).toEqual({ time: "2026-12-07T10:00:00.000Z", level: "error", component: "gateway", msg: "admit statement failed", requestId: "r-1", rows: 3 });
    expect(Object.keys(JSON.parse(line))).toEqual(["time", "level", "component", "msg", "requestId", "rows"]);
    expect(line).not.toContain("\n");
  });

  it("writes text as [component] msg key=value, quoting values with spaces", () => {
    expect(formatLine("text", "info", "portcullis", "console ready", { port: 3000, dir: "/a b", ok: true }, AT)).toBe('[portcullis] console ready port=3000 dir="/a b" ok=true');
    expect(formatLine("text", "info", "portcullis", "no fields", undefined, AT)).toBe("[portcullis] no fields");
  });

  it("never writes a field whose name says it holds a secret, at any depth", () => {
    const fields = {
      authorization: "Bearer pcg_secret1",
      grantKey: "pcg_secret2",
      key: "pcg_secret3",
      api_key: "secret4",
      password: "hunter2",
      nested: { cookie: "session=secret5", token: "secret6", list: [{ clientSecret: "secret7", credentials: { a: "secret8" } }] },
      keyHash: "a1b2",
      requestId: "r-2",
      monkey: "not a secret",
      API_KEY: "secret9",
    };
    const line = formatLine("json", "info", "test", "fields", fields, AT);
    for (const secret of ["pcg_secret1", "pcg_secret2", "pcg_secret3", "secret4", "hunter2", "secret5", "secret6", "secret7", "secret8", "secret9"]) expect(line).not.toContain(secret);
    const event = JSON.parse(line);
    expect(event).toMatchObject({ authorization: REDACTED, grantKey: REDACTED, key: REDACTED, api_key: REDACTED, password: REDACTED, keyHash: "a1b2", requestId: "r-2", monkey: "not a secret" });
    expect(event.nested).toEqual({ cookie: REDACTED, token: REDACTED, list: [{ clientSecret: REDACTED, credentials: REDACTED }] });
  });

  it("writes an error as its name, message and SQLSTATE, and cuts what could flood the log", () => {
    const error = Object.assign(new Error("deadlock detected"), { code: "40P01", detail: "Process 1 waits for ShareLock" });
    expect(logValue(error)).toEqual({ name: "Error", message: "deadlock detected", code: "40P01" });
    const long = logValue("x".repeat(10_000)) as string;
    expect(long.startsWith("x".repeat(4_000))).toBe(true);
    expect(long.endsWith("… (10000 characters)")).toBe(true);
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    expect(logValue(cycle)).toEqual({ a: 1, self: "[…]" });
    expect(logValue({ at: AT, big: 10n })).toEqual({ at: "2026-12-07T10:00:00.000Z", big: "10" });
  });

  it("chooses JSON off a terminal and text on one, unless PORTCULLIS_LOG_FORMAT says", () => {
    expect(logFormat({}, false)).toBe("json");
    expect(logFormat({}, true)).toBe("text");
    expect(logFormat({ PORTCULLIS_LOG_FORMAT: "json" }, true)).toBe("json");
    expect(logFormat({ PORTCULLIS_LOG_FORMAT: "text" }, false)).toBe("text");
    expect(logFormat({ PORTCULLIS_LOG_FORMAT: "yaml" }, false)).toBe("json");
  });

  it("sends info to one writer call per event, with its level", () => {
    const written: [LogLevel, string][] = [];
    const log = createLogger("sync", { format: "json", write: (level, line) => written.push([level, line]) });
    log.info("re-synced", { serverId: "s-1" });
    log.warn("slow");
    log.error("re-sync failed", { error: new Error("upstream down") });
    expect(written.map(([level]) => level)).toEqual(["info", "warn", "error"]);
    expect(JSON.parse(written[2]![1])).toMatchObject({ level: "error", component: "sync", msg: "re-sync failed", error: { name: "Error", message: "upstream down" } });
  });
});
