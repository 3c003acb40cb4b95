import { describe, expect, it } from "vitest";
import { createSseParser, SseEventTooLargeError, type SseEvent } from "@/lib/upstream/sse-parser";
import { serializeSseComment, serializeSseEvent } from "@/lib/upstream/sse-serializer";

/** Events with data, as [type, data]: what a listener sees. */
function parse(chunks: string[], max = 1_000): [string, string][] {
  return read(chunks, max).events.flatMap((e) => (e.data === null ? [] : [[e.type, e.data] as [string, string]]));
}

function read(chunks: string[], max = 1_000): { events: SseEvent[]; comments: string[] } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const parser = createSseParser(max, { onEvent: (e) => events.push(e), onComment: (c) => comments.push(c) });
  for (const chunk of chunks) parser.push(chunk);
  return { events, comments };
}

/** Every way of cutting `text` in two, plus one character at a time. */
function chunkings(text: string): string[][] {
  const ways = [[text], [...text]];
  for (let i = 1; i < text.length; i++) ways.push([text.slice(0, i), text.slice(i)]);
  return ways;
}

describe("createSseParser", () => {
  it.each([
    ["an unnamed event is a message", ["data: {}\n\n"], [["message", "{}"]]],
    ["a named event", ["event: endpoint\ndata: /message?sessionId=1\n\n"], [["endpoint", "/message?sessionId=1"]]],
    ["CRLF line ends", ["event: message\r\ndata: a\r\n\r\n"], [["message", "a"]]],
    ["CR line ends", ["data: a\r\rdata: b\r\r"], [["message", "a"], ["message", "b"]]],
    ["mixed line ends", ["data: a\rdata: b\ndata: c\r\n\ndata: d\r\r\n"], [["message", "a\nb\nc"], ["message", "d"]]],
    ["a CRLF split across chunks", ["data: a\r", "\n\r", "\n"], [["message", "a"]]],
    ["a CR ending a chunk dispatches at once", ["data: a\r\r"], [["message", "a"]]],
    ["an LF after a chunk's final CR is not a blank line", ["data: a\r", "\ndata: b\n\n"], [["message", "a\nb"]]],
    ["an event split mid-line", ["da", "ta: {\"x\"", ":1}\n", "\n"], [["message", "{\"x\":1}"]]],
    ["several data lines joined by newlines", ["data: a\ndata: b\n\n"], [["message", "a\nb"]]],
    ["an empty data line still dispatches", ["data\n\ndata:\n\n"], [["message", ""], ["message", ""]]],
    ["no space after the colon", ["data:a\n\n"], [["message", "a"]]],
    ["only one space after the colon is dropped", ["data:  a \n\n"], [["message", " a "]]],
    ["comments and unknown fields are skipped", [": keep-alive\nid: 7\nretry: 10\nfoo: bar\ndata: a\n\n"], [["message", "a"]]],
    ["an event without data reaches no listener", ["event: endpoint\n\n"], []],
    ["the event type does not leak into the next event", ["event: endpoint\ndata: /m\n\ndata: b\n\n"], [["endpoint", "/m"], ["message", "b"]]],
    ["an empty event type is a message", ["event:\ndata: a\n\n"], [["message", "a"]]],
    ["a leading byte order mark is ignored", ["\uFEFFdata: a\n\n"], [["message", "a"]]],
    ["a byte order mark alone in the first chunk", ["\uFEFF", "data: a\n\n"], [["message", "a"]]],
    ["only one leading byte order mark is ignored", ["\uFEFF\uFEFFdata: a\n\n\uFEFFdata: b\n\n"], []],
    ["a field name is case-sensitive", ["Data: a\n\n"], []],
    ["an unfinished event is not dispatched", ["data: a\n"], []],
    ["an unfinished line is not a field", ["data: a\n\ndata: b"], [["message", "a"]]],
  ])("%s", (_name, chunks, expected) => {
    expect(parse(chunks)).toEqual(expected);
  });

  it("reads id and retry, and reports events that carry only them", () => {
    const { events } = read(["id: 1\nretry: 2500\ndata: a\n\nid\n\nretry: 10\n\nid: 3\nevent: x\n\n"]);
    expect(events).toEqual([
      { type: "message", data: "a", id: "1", retry: 2500 },
      { type: "message", data: null, id: "" },
      { type: "message", data: null, retry: 10 },
      { type: "x", data: null, id: "3" },
    ]);
  });

  it("ignores an id holding NUL and a retry that is not a whole number", () => {
    const { events } = read(["id: a\0b\nretry: 1.5\nretry: 10ms\nretry: 99999999999999999999\ndata: a\n\n"]);
    expect(events).toEqual([{ type: "message", data: "a" }]);
  });

  it("reports comments with their text after the colon", () => {
    expect(read([": keep-alive\r:\r\n:x\n\n"]).comments).toEqual([" keep-alive", "", "x"]);
  });

  it.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
    ["CR", "\r"],
  ])("reads the same events however a %s stream is cut into chunks", (_name, end) => {
    const text = `\uFEFF: hi${end}id: 4${end}event: message${end}data: {"a":"é€😀"}${end}data: two${end}${end}retry: 9${end}${end}data: last${end}${end}`;
    const expected = read([text]);
    expect(expected.events).toHaveLength(3);
    for (const chunks of chunkings(text)) expect(read(chunks)).toEqual(expected);
  });

  it("throws when one event grows past the limit, over several lines or in one unfinished line", () => {
    expect(() => parse(["data: 12345\n", "data: 67890\n"], 10)).toThrow(/longer than 10 characters/);
    expect(() => parse(["data: 1234567890"], 10)).toThrow(SseEventTooLargeError);
    expect(() => parse(["data: 12345\n", "data: 6789"], 10)).toThrow(SseEventTooLargeError); // held data and the line being read
    expect(() => parse([`event: ${"x".repeat(11)}\n`], 10)).toThrow(SseEventTooLargeError); // every field it holds
    expect(() => parse([`id: ${"x".repeat(6)}\ndata: 12345\n`], 10)).toThrow(SseEventTooLargeError);
    expect(parse(["data: 1234\n\n", "data: 5678\n\n"], 10)).toHaveLength(2); // the limit is per event
    expect(parse([`: ${"x".repeat(100)}\ndata: a\n\n`], 10)).toHaveLength(1); // comments are not held
  });
});

describe("serializeSseEvent", () => {
  it.each<[string, SseEvent, string]>([
    ["a message", { type: "message", data: "{}" }, "event: message\ndata: {}\n\n"],
    ["every field", { type: "x", data: "a", id: "7", retry: 10 }, "id: 7\nevent: x\nretry: 10\ndata: a\n\n"],
    ["multi-line data as several data fields", { type: "message", data: "a\nb\r\nc\rd" }, "event: message\ndata: a\ndata: b\ndata: c\ndata: d\n\n"],
    ["an empty data line", { type: "message", data: "" }, "event: message\ndata: \n\n"],
    ["an event with only an id", { type: "message", data: null, id: "" }, "id: \nevent: message\n\n"],
  ])("writes %s", (_name, event, text) => {
    expect(serializeSseEvent(event)).toBe(text);
  });

  it("writes back what the parser reads", () => {
    const events: SseEvent[] = [
      { type: "message", data: " leading space\n\ntrailing ", id: "1" },
      { type: "endpoint", data: "/m", retry: 0 },
      { type: "message", data: null, id: "2" },
    ];
    expect(read(events.map(serializeSseEvent)).events).toEqual(events);
  });

  it("refuses a line end in a single-line field", () => {
    expect(() => serializeSseEvent({ type: "a\nb", data: "x" })).toThrow(TypeError);
    expect(() => serializeSseEvent({ type: "message", data: "x", id: "1\r" })).toThrow(TypeError);
    expect(() => serializeSseComment("a\nevent: x")).toThrow(TypeError);
    expect(serializeSseComment(" keep-alive")).toBe(": keep-alive\n");
  });
});
