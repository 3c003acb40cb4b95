import { ApiError } from "@/lib/http/api-error";
import { readLimitedText } from "@/lib/http/read-limited-text";
import { describeUnstorable, formatJsonPath, listUnstorable } from "@/lib/json/storable-text";

export const MAX_JSON_BODY_BYTES = 64 * 1024;

/**
 * Reads a JSON request body: refuses other content types (415), bodies over the limit (413, without reading
 * past it) and malformed JSON (400, with where it broke).
 */
export async function readJsonBody(request: Request, limit = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      type
        ? `The body was sent as ${type.split(";")[0]}: send JSON with Content-Type: application/json.`
        : "The request has no Content-Type: send JSON with Content-Type: application/json.",
    );
  }
  const text = await readLimitedText(request, limit);
  if (text === null) throw tooLarge(limit);
  if (!text.trim()) {
    throw new ApiError(400, "empty_body", "The request body is empty: send a JSON object.");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, "malformed_json", `The body is not valid JSON: ${(error as Error).message}.`, [
      { path: "body", message: (error as Error).message },
    ]);
  }
  // PostgreSQL's text and jsonb refuse U+0000 and unpaired surrogates: refused here, at their place, before anything
  // is written (they used to fail the write with a 500).
  const unstorable = listUnstorable(value, { max: 20 });
  if (unstorable.length > 0) {
    const errors = unstorable.map((place) => ({
      path: formatJsonPath(place.path, "body"),
      message: `${place.inKey ? "This key" : "This text"} holds ${describeUnstorable(place.reason)}, which cannot be saved: remove it.`,
    }));
    throw new ApiError(422, "unstorable_text", `The body holds text that cannot be saved (${describeUnstorable(unstorable[0]!.reason)}) at ${errors[0]!.path}.`, errors);
  }
  return value;
}

function tooLarge(limit: number) {
  return new ApiError(413, "body_too_large", `The body is larger than ${limit / 1024} KiB: send a smaller request.`);
}
