import { describe, expect, it } from "vitest";
import { createSseParser } from "@/lib/upstream/sse-parser";

function parse(chunks: string[], max = 1_000): [string, string][] {
  const events: [string, string][] = [];
  const parser = createSseParser(max, (type, data) => events.push([type, data]));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe("createSseParser", () => {
  it.each([
    ["an unnamed event is a message", ["data: {}\n\n"], [["message", "{}"]]],
    ["a named event", ["event: endpoint\ndata: /message?sessionId=1\n\n"], [["endpoint", "/message?sessionId=1"]]],
    ["CRLF line ends", ["event: message\r\ndata: a\r\n\r\n"], [["message", "a"]]],
    ["CR line ends", ["data: a\r\rdata: b\r\r"], [["message", "a"], ["message", "b"]]],
    ["a CRLF split across chunks", ["data: a\r", "\n\r", "\n"], [["message", "a"]]],
    ["a CR ending a chunk dispatches at once", ["data: a\r\r"], [["message", "a"]]],
    ["an LF after a chunk's final CR is not a blank line", ["data: a\r", "\ndata: b\n\n"], [["message", "a\nb"]]],
    ["an event split mid-line", ["da", "ta: {\"x\"", ":1}\n", "\n"], [["message", "{\"x\":1}"]]],
    ["several data lines joined by newlines", ["data: a\ndata: b\n\n"], [["message", "a\nb"]]],
    ["no space after the colon", ["data:a\n\n"], [["message", "a"]]],
    ["comments and unknown fields are skipped", [": keep-alive\nid: 7\nretry: 10\nfoo: bar\ndata: a\n\n"], [["message", "a"]]],
    ["an event without data is dropped", ["event: endpoint\n\n"], []],
    ["the event type does not leak into the next event", ["event: endpoint\ndata: /m\n\ndata: b\n\n"], [["endpoint", "/m"], ["message", "b"]]],
    ["a leading byte order mark is ignored", ["\uFEFFdata: a\n\n"], [["message", "a"]]],
    ["an unfinished event is not dispatched", ["data: a\n"], []],
  ])("%s", (_name, chunks, expected) => {
    expect(parse(chunks)).toEqual(expected);
  });

  it("throws when one event grows past the limit, over several lines or in one unfinished line", () => {
    expect(() => parse(["data: 12345\n", "data: 67890\n"], 10)).toThrow(/longer than 10 characters/);
    expect(() => parse(["data: 1234567890"], 10)).toThrow(/longer than 10 characters/);
    expect(parse(["data: 1234\n\n", "data: 5678\n\n"], 10)).toHaveLength(2); // the limit is per event
  });
});
