// The Server-Sent Events format (WHATWG HTML, "event stream"), as far as MCP's legacy transport needs it: `event`
// and `data` fields; `id` and `retry` are ignored because the bridge never reconnects a stream.

/**
 * Feeds decoded text in any chunking; calls `onEvent` for each dispatched event (type `message` when unnamed).
 * Lines end with CRLF, LF or CR; a blank line dispatches; an event without data is dropped. Throws when one event
 * (or one unfinished line) grows past `maxEventLength` characters, so a server cannot make it buffer without end.
 */
export function createSseParser(maxEventLength: number, onEvent: (type: string, data: string) => void): { push(text: string): void } {
  let buffer = "";
  let started = false;
  /** The last chunk ended with a CR: an LF starting the next one completes that CRLF, not a blank line. */
  let pendingLf = false;
  let type = "";
  let data: string[] = [];
  let size = 0;
  const line = (text: string) => {
    if (text === "") {
      if (data.length > 0) onEvent(type || "message", data.join("\n"));
      type = "";
      data = [];
      size = 0;
      return;
    }
    if (text.startsWith(":")) return; // a comment (keep-alive)
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? "" : text.slice(colon + 1).replace(/^ /, "");
    if (field === "event") type = value;
    else if (field === "data") {
      data.push(value);
      size += value.length + 1;
      if (size > maxEventLength) throw new Error(`The server sent an event longer than ${maxEventLength} characters.`);
    }
  };
  return {
    push(text) {
      if (text.length === 0) return;
      if (pendingLf && text.startsWith("\n")) text = text.slice(1);
      pendingLf = false;
      buffer += text;
      if (!started && buffer.length > 0) {
        started = true;
        if (buffer.startsWith("\uFEFF")) buffer = buffer.slice(1);
      }
      let start = 0;
      for (;;) {
        const cr = buffer.indexOf("\r", start);
        const lf = buffer.indexOf("\n", start);
        const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
        if (end === -1) break;
        line(buffer.slice(start, end));
        if (end === cr && cr === buffer.length - 1) pendingLf = true;
        start = end + (end === cr && buffer[cr + 1] === "\n" ? 2 : 1);
      }
      buffer = buffer.slice(start);
      if (buffer.length > maxEventLength) throw new Error(`The server sent a line longer than ${maxEventLength} characters.`);
    },
  };
}
