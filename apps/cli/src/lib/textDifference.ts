/**
 * The text of the block a layout path names in a request (`system/0`, `messages/3/content/1`, `tools/2`): the
 * string itself, a block's `text`, or the block as JSON (a tool, a tool result). Undefined when the path leads
 * nowhere.
 */
export function blockText(payload: unknown, path: string): string | undefined {
  let v: unknown = payload;
  for (const key of path.split("/")) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  if (typeof v === "string") return v;
  if (typeof v !== "object" || v === null) return undefined;
  const text = (v as { text?: unknown }).text;
  return typeof text === "string" ? text : JSON.stringify(v);
}

/** Where two texts first differ, and each one's text from there (with a little of what came before). */
export interface TextDifference {
  /** Characters the two texts share before they differ. */
  readonly at: number;
  readonly previous: string;
  readonly next: string;
}

/**
 * The first place two texts differ, shown as a window on each: `before` characters of what they share, then up
 * to `after` characters of each one's own. What tells a user that the time in the system prompt moved on.
 */
export function firstTextDifference(
  a: string,
  b: string,
  before = 24,
  after = 40,
): TextDifference | undefined {
  if (a === b) return undefined;
  let at = 0;
  while (at < a.length && at < b.length && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  const from = Math.max(0, at - before);
  const window = (s: string) =>
    `${from > 0 ? "…" : ""}${s.slice(from, at + after)}${at + after < s.length ? "…" : ""}`;
  return { at, previous: window(a), next: window(b) };
}
