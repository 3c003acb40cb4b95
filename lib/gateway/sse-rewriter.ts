// An upstream's event stream on its way to the client, event by event: read by the one SSE parser
// (lib/upstream/sse-parser.ts), each JSON message passed through `rewrite` (tools/list filtering), and written back with
// LF line ends. The client only ever reads what was checked: never the upstream's bytes.
import { JSON_RPC_ERROR, jsonRpcError, type JsonRpcId } from "@/lib/mcp/json-rpc";
import { createSseParser, SseEventTooLargeError, type SseEvent } from "@/lib/upstream/sse-parser";
import { serializeSseComment, serializeSseEvent } from "@/lib/upstream/sse-serializer";

/** The longest event the gateway reads, in characters: as for legacy SSE servers' events and for request bodies. */
export const MAX_EVENT_LENGTH = 4 * 1024 * 1024;

export interface SseRewriterOptions {
  /** The requests forwarded on this stream: when it is cut off, those not answered yet get an error. */
  requestIds?: readonly JsonRpcId[];
  maxEventLength?: number;
}

/** 1 and "1" are different ids. */
const keyOf = (id: unknown) => `${typeof id}:${String(id)}`;

export function eventTooLargeMessage(maxEventLength: number): string {
  return `The upstream server sent an event longer than ${maxEventLength.toLocaleString("en-US")} characters. Portcullis only ` +
    "forwards what it has checked, so it cut the answer off: ask the server's operator for smaller answers (fewer tools " +
    "per tools/list page, smaller tool results).";
}

/**
 * Rewrites the JSON `data` of each event; events whose data is not JSON, comments (keep-alives for the proxies on
 * the way) and `id`/`retry` fields are written back as they were read. `prepend` (the gateway's own answers) goes
 * first. An unfinished last event is dropped, as a client would. An event longer than the bound ends the stream:
 * the waiting requests get an error instead, and nothing of that event is sent.
 */
export function sseRewriter(
  rewrite: (message: unknown) => unknown,
  prepend: readonly unknown[] = [],
  options: SseRewriterOptions = {},
): TransformStream<Uint8Array, Uint8Array> {
  const maxEventLength = options.maxEventLength ?? MAX_EVENT_LENGTH;
  const waiting = new Map((options.requestIds ?? []).map((id) => [keyOf(id), id]));
  // The parser drops the one leading byte order mark the standard allows; the decoder must not drop another.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  const encoder = new TextEncoder();
  let out = "";

  const settle = (message: unknown) => {
    if (typeof message !== "object" || message === null || "method" in message || !("id" in message)) return;
    if ("result" in message || "error" in message) waiting.delete(keyOf(message.id));
  };
  const rewriteEvent = (event: SseEvent): SseEvent => {
    if (event.data === null) return event;
    let value: unknown;
    try {
      value = JSON.parse(event.data);
    } catch {
      return event;
    }
    if (waiting.size > 0) for (const message of Array.isArray(value) ? value : [value]) settle(message);
    const rewritten = Array.isArray(value) ? value.map(rewrite) : rewrite(value);
    return rewritten === value ? event : { ...event, data: JSON.stringify(rewritten) };
  };
  const parser = createSseParser(maxEventLength, {
    onEvent: (event) => {
      out += serializeSseEvent(rewriteEvent(event));
    },
    onComment: (text) => {
      out += serializeSseComment(text);
    },
  });

  /** Feeds the parser and sends what it wrote; an event too large ends the stream after the events read before it. */
  const feed = (text: string, controller: TransformStreamDefaultController<Uint8Array>): void => {
    let cut = false;
    try {
      parser.push(text);
    } catch (error) {
      if (!(error instanceof SseEventTooLargeError)) throw error;
      const why = eventTooLargeMessage(maxEventLength);
      out += serializeSseComment(` ${why}`);
      for (const id of waiting.values()) {
        out += serializeSseEvent({ type: "message", data: JSON.stringify(jsonRpcError(id, JSON_RPC_ERROR.INTERNAL_ERROR, why)) });
      }
      cut = true;
    }
    if (out.length > 0) controller.enqueue(encoder.encode(out));
    out = "";
    if (cut) controller.terminate();
  };

  return new TransformStream({
    start(controller) {
      for (const message of prepend) controller.enqueue(encoder.encode(serializeSseEvent({ type: "message", data: JSON.stringify(message) })));
    },
    transform(chunk, controller) {
      feed(decoder.decode(chunk, { stream: true }), controller);
    },
    flush(controller) {
      feed(decoder.decode(), controller);
    },
  });
}
