// The upstream's answer on its way back to the client: JSON parsed once where something must be filtered or merged,
// event streams rewritten event by event (sse-rewriter.ts), anything else passed as the upstream sent it, and the
// upstream connection released at the end.
import { FORWARDED_RESPONSE_HEADERS, SESSION_HEADER } from "@/lib/gateway/http-headers";
import { sseRewriter } from "@/lib/gateway/sse-rewriter";
import type { AnswerEdit } from "@/lib/gateway/tools-list-filter";
import { BufferedResponse, hasBody } from "@/lib/http/buffered-response";

// Encoded once, not on every answer.
const TOOLS_KEY = Buffer.from('"tools"');
const UNICODE_ESCAPE = Buffer.from("\\u");

/**
 * Whether a JSON answer might hold a tools/list result: a `"tools"` key, or any `\u` escape (which could spell the
 * key another way). Answers read into memory are checked without parsing them; others are assumed to.
 */
function mayListTools(response: Response): boolean {
  const bytes = response instanceof BufferedResponse ? response.peekBytes() : undefined;
  if (bytes === undefined) return true;
  if (bytes === null) return false;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.includes(TOOLS_KEY) || buffer.includes(UNICODE_ESCAPE);
}

/**
 * The upstream's answer, streamed back as it arrives. JSON bodies are parsed once (to filter tools/list and to merge
 * the gateway's own answers into a batch); SSE is rewritten event by event, never buffered past one event.
 */
export function passThrough(
  response: Response,
  sessionId: string | null,
  close: () => Promise<void>,
  edit: AnswerEdit | null,
): Response | Promise<Response> {
  // A plain record: the Response made below is its only Headers object.
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  if (sessionId) headers[SESSION_HEADER] = sessionId;
  const type = response.headers.get("content-type") ?? "";

  if (edit !== null && response.status === 202 && edit.local.length > 0) {
    void response.body?.cancel().catch(() => {});
    void close();
    headers["content-type"] = "application/json";
    return BufferedResponse.fromText(JSON.stringify(edit.batch ? edit.local : edit.local[0]), { status: 200, headers });
  }
  // Nothing to filter or merge (a tools/call answer, an unedited stream, no body): the upstream's bytes go back as
  // they are; an answer read into memory (every finite one from the upstream hop) with no stream around them
  // (lib/http/buffered-response.ts).
  if (edit === null || !hasBody(response) || (type.includes("application/json") && edit.local.length === 0 && !edit.rewrites && !mayListTools(response))) {
    if (response instanceof BufferedResponse && !response.bodyUsed) {
      void close();
      return new BufferedResponse(response.takeBytes() ?? null, { status: response.status, headers });
    }
    const stream = response.body;
    if (!stream) void close();
    return new Response(stream ? closing(stream, close) : null, { status: response.status, headers });
  }
  if (type.includes("application/json")) {
    return response.text().then((text) => {
      void close();
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return BufferedResponse.fromText(text, { status: response.status, headers });
      }
      const rewritten = Array.isArray(value) ? value.map(edit.rewrite) : edit.rewrite(value);
      const merged = edit.local.length === 0 ? rewritten : [...edit.local, ...(Array.isArray(rewritten) ? rewritten : [rewritten])];
      return BufferedResponse.fromText(JSON.stringify(merged), { status: response.status, headers });
    });
  }
  if (type.includes("text/event-stream")) {
    return new Response(closing(response.body!.pipeThrough(sseRewriter(edit.rewrite, edit.local, { requestIds: edit.requestIds })), close), { status: response.status, headers });
  }
  return new Response(closing(response.body!, close), { status: response.status, headers });
}

/** Reads the upstream body on demand (no buffering) and releases the upstream connection at its end, on an error, or
 * when the client cancels (goes away) mid-stream. */
function closing(body: ReadableStream<Uint8Array>, close: () => Promise<void>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let closed = false;
  const release = () => {
    if (closed) return;
    closed = true;
    void close().catch(() => {});
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          release();
          return;
        }
        controller.enqueue(value);
      } catch (error) {
        controller.error(error);
        release();
      }
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => {});
      release();
    },
  });
}
