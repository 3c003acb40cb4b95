// The Server-Sent Events format (WHATWG HTML, "event stream"): the one parser for every event stream Portcullis reads
// (legacy-sse-bridge.ts) or rewrites (lib/gateway/sse-rewriter.ts); sse-serializer.ts writes events back.

/** One event as the stream framed it, with the fields a client acts on. */
export interface SseEvent {
  /** `message` when the event named no type. */
  type: string;
  /** The data lines joined by LF; null for an event that only set `id` or `retry` (it reaches no listener). */
  data: string | null;
  /** The event's last valid `id` field, when it had one (an empty one clears the client's last event id). */
  id?: string;
  /** The event's last valid `retry` field (milliseconds before a client reconnects). */
  retry?: number;
}

export interface SseHandlers {
  onEvent(event: SseEvent): void;
  /** A comment line (a keep-alive), its text after the colon; parsers skip comments. */
  onComment?(text: string): void;
}

/** One event (or one unfinished line) grew past the parser's bound: the stream cannot be read on. */
export class SseEventTooLargeError extends Error {
  constructor(readonly maxEventLength: number) {
    super(`The server sent an event longer than ${maxEventLength} characters.`);
  }
}

const LF = 10;
const SPACE = 32;
const BOM = 0xfeff;
const DIGITS = /^[0-9]+$/;

/**
 * Feeds decoded text in any chunking; calls `onEvent` for each event a blank line ends. Lines end with CRLF, LF or
 * CR (a CR ending one chunk and an LF starting the next are one line end); one leading byte order mark is skipped;
 * unknown fields are ignored; an unfinished event is never dispatched. Throws SseEventTooLargeError when what one
 * event holds (its data, type and id, with the line being read) passes `maxEventLength` characters, so a server
 * cannot make it buffer without end. Decode with `ignoreBOM: true`, or the decoder and the parser each drop one.
 */
export function createSseParser(maxEventLength: number, handlers: SseHandlers): { push(text: string): void } {
  let started = false;
  /** The last chunk ended with a CR: an LF starting the next one completes that CRLF, not a blank line. */
  let pendingLf = false;
  /** The unfinished last line. */
  let partial = "";
  let type = "";
  let data: string[] = [];
  let dataLength = 0;
  let id: string | undefined;
  let retry: number | undefined;

  const held = () => dataLength + type.length + (id === undefined ? 0 : id.length);

  const dispatch = () => {
    if (data.length > 0 || id !== undefined || retry !== undefined) {
      const event: SseEvent = { type: type || "message", data: data.length > 0 ? data.join("\n") : null };
      if (id !== undefined) event.id = id;
      if (retry !== undefined) event.retry = retry;
      type = "";
      data = [];
      dataLength = 0;
      id = undefined;
      retry = undefined;
      handlers.onEvent(event);
      return;
    }
    type = "";
  };

  const line = (text: string) => {
    if (text.length === 0) return dispatch();
    const colon = text.indexOf(":");
    if (colon === 0) {
      handlers.onComment?.(text.slice(1));
      return;
    }
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? "" : text.slice(text.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1);
    switch (field) {
      case "data":
        data.push(value);
        dataLength += value.length + 1;
        break;
      case "event":
        type = value;
        break;
      case "id":
        if (!value.includes("\0")) id = value;
        break;
      case "retry":
        if (DIGITS.test(value) && Number.isSafeInteger(Number(value))) retry = Number(value);
        return;
      default:
        return;
    }
    if (held() > maxEventLength) throw new SseEventTooLargeError(maxEventLength);
  };

  return {
    push(text) {
      if (text.length === 0) return;
      let start = 0;
      if (!started) {
        started = true;
        if (text.charCodeAt(0) === BOM) start = 1;
      }
      if (pendingLf) {
        pendingLf = false;
        if (text.charCodeAt(start) === LF) start += 1;
      }
      // Each search runs on from where the last one stopped: a chunk is scanned once, whatever its line ends.
      let cr = text.indexOf("\r", start);
      let lf = text.indexOf("\n", start);
      while (cr !== -1 || lf !== -1) {
        const end = cr === -1 ? lf : lf === -1 || cr < lf ? cr : lf;
        const piece = text.slice(start, end);
        const whole = partial.length === 0 ? piece : partial + piece;
        partial = "";
        if (end === cr) {
          if (end + 1 === text.length) pendingLf = true;
          start = text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
          cr = text.indexOf("\r", start);
          if (lf !== -1 && lf < start) lf = text.indexOf("\n", start);
        } else {
          start = end + 1;
          lf = text.indexOf("\n", start);
        }
        line(whole);
      }
      if (start < text.length) partial += text.slice(start);
      if (held() + partial.length > maxEventLength) throw new SseEventTooLargeError(maxEventLength);
    },
  };
}
