/**
 * Token estimates for non-text content whose size is all an offline reader can see. Bedrock bills images
 * by pixel count (about width × height / 750, capped near 1,600 for Claude) and documents by their
 * extracted text plus page images; neither is knowable without decoding, so these are deliberately coarse.
 * Use Bedrock's CountTokens for exact numbers.
 * @public
 */
export function estimateMediaTokens(
  kind: "image" | "document" | "video" | "audio",
  byteLength: number,
): number {
  const bytes = Math.max(0, byteLength);
  switch (kind) {
    case "image":
      // A typical screenshot or photo sits near Claude's ~1,600-token cap; tiny images cost less.
      return Math.min(1600, Math.max(85, Math.ceil(bytes / 200)));
    case "document":
      // Roughly one token per 4 bytes of a text-heavy document.
      return Math.max(1, Math.ceil(bytes / 4));
    case "video":
    case "audio":
      return Math.max(1, Math.ceil(bytes / 1000));
  }
}

/** Decoded byte length of a base64 string without decoding it. @public */
export function base64ByteLength(b64: string): number {
  const len = b64.length;
  if (len === 0) return 0;
  const pad = b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0;
  return Math.floor((len * 3) / 4) - pad;
}
