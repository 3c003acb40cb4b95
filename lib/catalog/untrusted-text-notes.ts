// Descriptions are written by a server's authors and read by models as instructions. We keep them as data (never
// rendered as HTML, never obeyed) and note what people should know before trusting one. Pure.

const HTML_TAG = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/i;
// Phrases that address the model rather than describe the tool: the usual openings of tool poisoning.
const ADDRESSES_THE_MODEL =
  /\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier|other)\s+(?:instructions|prompts|rules)\b|\bdo\s+not\s+(?:tell|mention|inform|show)\s+(?:this\s+to\s+)?the\s+user\b|\bsystem\s+prompt\b|<\s*important\s*>/i;

export function untrustedTextNotes(text: string): string[] {
  const notes: string[] = [];
  if (HTML_TAG.test(text)) notes.push("It contains HTML markup, kept and shown as plain text.");
  if (ADDRESSES_THE_MODEL.test(text)) {
    notes.push("It contains text addressed to the model (such as “ignore previous instructions”), kept as data: a sign of tool poisoning.");
  }
  return notes;
}
