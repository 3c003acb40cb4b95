// Writes events in the Server-Sent Events format, with LF line ends: what sse-parser.ts reads, written back.
import type { SseEvent } from "@/lib/upstream/sse-parser";

const LINE_END = /\r\n|\r|\n/g;

/** A field value holding a line end would start a field of its own: only `data` may span lines (one field each). */
function singleLine(value: string, field: string): string {
  if (value.includes("\n") || value.includes("\r") || (field === "id" && value.includes("\0"))) {
    throw new TypeError(`An SSE ${field} field cannot hold a line end${field === "id" ? " or a NUL" : ""}.`);
  }
  return value;
}

/** One event, ended by its blank line; each line of `data` becomes its own `data:` field. */
export function serializeSseEvent(event: SseEvent): string {
  let text = "";
  if (event.id !== undefined) text += `id: ${singleLine(event.id, "id")}\n`;
  text += event.type === "message" ? "event: message\n" : `event: ${singleLine(event.type, "event")}\n`;
  if (event.retry !== undefined) {
    if (!Number.isSafeInteger(event.retry) || event.retry < 0) throw new TypeError("An SSE retry field is a whole number of milliseconds.");
    text += `retry: ${event.retry}\n`;
  }
  if (event.data !== null) {
    const data = event.data.includes("\n") || event.data.includes("\r") ? event.data.replace(LINE_END, "\ndata: ") : event.data;
    text += `data: ${data}\n`;
  }
  return `${text}\n`;
}

/** A comment line (a keep-alive); clients skip it. */
export function serializeSseComment(text: string): string {
  return `:${singleLine(text, "comment")}\n`;
}
