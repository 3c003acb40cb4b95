import { describe, expect, it } from "vitest";
import { eventTooLargeMessage, sseRewriter } from "@/lib/gateway/sse-rewriter";
import { filterToolsList } from "@/lib/mcp/tools-list";
import { compilePolicy } from "@/lib/policy/compile";
import { validatePolicy } from "@/lib/policy/schema";
import { createSseParser, type SseEvent } from "@/lib/upstream/sse-parser";

const validated = validatePolicy({ version: "1", default: "deny", tools: { visible_tool: {} } });
if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
const POLICY = compilePolicy(validated.document);

const HIDDEN = "hidden_tool";
const TOOLS = [
  { name: "visible_tool", description: "Reads a thing: é€😀.", inputSchema: { type: "object" } },
  { name: HIDDEN, description: "Deletes everything.", inputSchema: { type: "object" } },
];

/** The handler's rewrite: the answer to tools/list request 1 is filtered by the policy. */
const filterList = (message: unknown): unknown => {
  const m = message as { id?: unknown; result?: unknown };
  if (typeof message !== "object" || message === null || m.id !== 1 || !("result" in m)) return message;
  return { ...m, result: filterToolsList(m.result, POLICY) };
};

const listAnswer = JSON.stringify({ jsonrpc: "2.0", id: 1, result: { tools: TOOLS } });
/** The same answer pretty-printed: its data spans many `data:` lines. */
const listAnswerLines = JSON.stringify({ jsonrpc: "2.0", id: 1, result: { tools: TOOLS } }, null, 2).split("\n");

function stream(end: string, bom = false): string {
  return [
    bom ? "\uFEFF" : "",
    `: stream opened${end}`,
    `id: 1-a${end}retry: 3000${end}event: message${end}data: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x"}}${end}${end}`,
    `event: message${end}id: 1-b${end}`,
    ...listAnswerLines.map((line) => `data: ${line}${end}: a comment inside the event${end}`),
    end,
    `data: not json${end}data: second line${end}${end}`,
  ].join("");
}

async function run(chunks: Uint8Array[], rewriter = sseRewriter(filterList)): Promise<{ text: string; cancelled: boolean }> {
  let cancelled = false;
  let i = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  const text = await new Response(source.pipeThrough(rewriter)).text();
  return { text, cancelled };
}

const bytes = (text: string) => new TextEncoder().encode(text);

/** Every way of cutting the bytes in two (through UTF-8 characters too), plus one byte at a time. */
function byteChunkings(all: Uint8Array): Uint8Array[][] {
  const ways = [[all], [...all].map((b) => Uint8Array.of(b))];
  for (let i = 1; i < all.length; i++) ways.push([all.slice(0, i), all.slice(i)]);
  return ways;
}

function events(text: string): SseEvent[] {
  const read: SseEvent[] = [];
  createSseParser(1 << 20, { onEvent: (e) => read.push(e) }).push(text);
  return read;
}

describe("sseRewriter", () => {
  it.each([
    ["an LF stream", "\n", false],
    ["a CRLF stream", "\r\n", false],
    ["a bare-CR stream", "\r", false],
    ["an LF stream with a byte order mark", "\n", true],
    ["a bare-CR stream with a byte order mark", "\r", true],
  ])("filters tools/list in %s, however its bytes are cut", async (_name, end, bom) => {
    const all = bytes(stream(end, bom));
    const expected = (await run([all])).text;
    expect(expected).not.toContain(HIDDEN);
    expect(expected).not.toContain("\r");
    expect(expected).not.toContain("\uFEFF");
    expect(events(expected)).toEqual([
      { type: "message", data: '{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x"}}', id: "1-a", retry: 3000 },
      { type: "message", data: JSON.stringify({ jsonrpc: "2.0", id: 1, result: { tools: [TOOLS[0]] } }), id: "1-b" },
      { type: "message", data: "not json\nsecond line" },
    ]);
    expect(expected.startsWith(": stream opened\n")).toBe(true); // comments are kept: keep-alives for the proxies on the way
    for (const chunks of byteChunkings(all)) expect((await run(chunks)).text).toBe(expected);
  });

  it("writes every line end the same way: mixed line ends give the LF stream's output", async () => {
    const lf = (await run([bytes(stream("\n"))])).text;
    for (const end of ["\r\n", "\r"]) expect((await run([bytes(stream(end))])).text).toBe(lf);
    const mixed = `event: message\rdata: ${listAnswer}\r\n\ndata: not json\ndata: second line\r\r`;
    expect((await run([bytes(mixed)])).text).toBe(`event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: 1, result: { tools: [TOOLS[0]] } })}\n\nevent: message\ndata: not json\ndata: second line\n\n`);
  });

  it("filters an answer in a batch", async () => {
    const { text } = await run([bytes(`data: [${listAnswer},{"jsonrpc":"2.0","id":2,"result":{}}]\r\r`)]);
    expect(text).not.toContain(HIDDEN);
    expect(JSON.parse(events(text)[0]!.data!)).toHaveLength(2);
  });

  it("sends the gateway's own answers first", async () => {
    const own = { jsonrpc: "2.0", id: 9, error: { code: -32602, message: "Unknown tool" } };
    const { text } = await run([bytes(`data: ${listAnswer}\n\n`)], sseRewriter(filterList, [own]));
    expect(events(text).map((e) => JSON.parse(e.data!).id)).toEqual([9, 1]);
  });

  it("drops an unfinished last event, as a client would", async () => {
    const { text } = await run([bytes(`data: {"jsonrpc":"2.0","id":5,"result":{}}\r\rdata: ${listAnswer}\r`)]);
    expect(events(text).map((e) => JSON.parse(e.data!).id)).toEqual([5]);
    expect(text).not.toContain(HIDDEN);
    expect(text).not.toContain("visible_tool");
  });

  it("keeps a UTF-8 character split across chunks whole", async () => {
    const all = bytes(`data: "😀é"\n\n`);
    for (const chunks of byteChunkings(all)) expect((await run(chunks)).text).toBe('event: message\ndata: "😀é"\n\n');
  });

  it("ends the stream at an event over the bound: errors for the requests still waiting, nothing of the event", async () => {
    const max = 200;
    const big = JSON.stringify({ jsonrpc: "2.0", id: 1, result: { tools: TOOLS, padding: "p".repeat(max) } });
    const rewriter = sseRewriter(filterList, [], { requestIds: [1, 2, "3"], maxEventLength: max });
    const chunks = [bytes(`data: {"jsonrpc":"2.0","id":2,"result":{}}\r\r`), bytes(`data: ${big.slice(0, 100)}`), bytes(big.slice(100)), bytes("\r\r")];
    const { text, cancelled } = await run(chunks, rewriter);
    expect(text).not.toContain(HIDDEN);
    expect(text).not.toContain("ppp");
    const answers = events(text).map((e) => JSON.parse(e.data!) as { id: unknown; error?: { message: string } });
    expect(answers.map((a) => a.id)).toEqual([2, 1, "3"]); // 2 was answered before; 1 and "3" get the error
    expect(answers[1]!.error!.message).toBe(eventTooLargeMessage(max));
    expect(text).toContain(`: ${eventTooLargeMessage(max)}\n`);
    expect(cancelled).toBe(true); // the upstream's body is not read on
  });

  it("ends the stream at a line over the bound even when it never ends", async () => {
    const rewriter = sseRewriter(filterList, [], { requestIds: [1], maxEventLength: 100 });
    const { text } = await run(Array.from({ length: 20 }, () => bytes("x".repeat(10))), rewriter);
    expect(events(text).map((e) => JSON.parse(e.data!).id)).toEqual([1]);
    expect(text).not.toContain("xxxx");
  });
});
