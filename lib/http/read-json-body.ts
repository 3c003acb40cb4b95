import { ApiError } from "@/lib/http/api-error";
import { readLimitedText } from "@/lib/http/read-limited-text";

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
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, "malformed_json", `The body is not valid JSON: ${(error as Error).message}.`, [
      { path: "body", message: (error as Error).message },
    ]);
  }
}

function tooLarge(limit: number) {
  return new ApiError(413, "body_too_large", `The body is larger than ${limit / 1024} KiB: send a smaller request.`);
}
