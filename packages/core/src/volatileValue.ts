/** What a found value looks like, for the message. @public */
export type VolatileKind = "time" | "id";

/** A value in a prompt that looks different on every request. @public */
export interface VolatileValue {
  readonly kind: VolatileKind;
  /** The value as it stands in the text, e.g. `2026-12-07T14:51:23Z`. */
  readonly value: string;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isWord = (c: number) => isHex(c) || (c >= 103 && c <= 122) || (c >= 71 && c <= 90) || c === 95;

/** The whole time as written, from its first character: an ISO date before it, seconds, a fraction, a zone. */
const clock =
  /(?:\d{4}-\d{2}-\d{2}[T ])?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}| ?[AaPp][Mm])?/y;
const uuid = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/y;

/**
 * The first value in `text` that looks like it was put there per request: a time of day with seconds
 * (`14:51:23`, `2:51:23 PM`, what `new Date().toString()` and `toLocaleString()` write), an ISO date with a time
 * (`2026-12-07T14:51`), or a UUID (a request or session ID). Undefined when there is none.
 *
 * Why: a prompt prefix is cached by its exact content, so a system prompt that says what time it is matches no
 * earlier request. Every request then pays the write premium and none reads, and nothing in the response says
 * why. A date alone (`Today is 2026-12-07`) or a time without seconds changes rarely enough to cache, and is not
 * reported. Anchored on the `:` and `-` these values need, found with `indexOf`, so text without them costs one
 * fast pass.
 * @public
 */
export function volatileValue(text: string): VolatileValue | undefined {
  const [first] = volatileSpans(text, true);
  return first && { kind: first.kind, value: text.slice(first.start, first.end) };
}

/**
 * The text with every value {@link volatileValue} would report taken out (each replaced by one NUL): what stays
 * the same across requests that differ only in them. The advisor learns by it, so a system prompt that differs
 * only in the time is one prompt, written every time and never read. The text itself when it holds none.
 * @internal
 */
export function withoutVolatile(text: string): string {
  const spans = volatileSpans(text, false);
  if (spans.length === 0) return text;
  spans.sort((a, b) => a.start - b.start);
  let out = "";
  let from = 0;
  for (const s of spans) {
    if (s.start < from) continue;
    out += `${text.slice(from, s.start)}\u0000`;
    from = s.end;
  }
  return out + text.slice(from);
}

interface Span {
  kind: VolatileKind;
  start: number;
  end: number;
}

/** Where the values are: times first (the more telling), then IDs; only the first one when `first`. */
function volatileSpans(text: string, first: boolean): Span[] {
  const spans: Span[] = [];
  for (let colon = text.indexOf(":"); colon >= 0; colon = text.indexOf(":", colon + 1)) {
    const start = timeAround(text, colon);
    if (start === undefined) continue;
    spans.push({ kind: "time", start, end: clock.lastIndex });
    if (first) return spans;
    colon = clock.lastIndex - 1; // the seconds' colon belongs to this time
  }
  for (let dash = text.indexOf("-", 8); dash >= 0; dash = text.indexOf("-", dash + 1)) {
    // A UUID's first dash: its second is five characters on (checked first: it rules out almost every dash).
    if (text.charCodeAt(dash + 5) !== 45 || !isHex(text.charCodeAt(dash - 1))) continue;
    const start = dash - 8;
    uuid.lastIndex = start;
    if (isWord(text.charCodeAt(start - 1)) || !uuid.test(text)) continue;
    if (isWord(text.charCodeAt(uuid.lastIndex))) continue;
    spans.push({ kind: "id", start, end: uuid.lastIndex });
    if (first) return spans;
    dash = uuid.lastIndex - 1;
  }
  return spans;
}

/**
 * Where the time whose hour and minutes meet at `colon` starts, if it has seconds or an ISO date before it; the
 * sticky `clock` is left at its end.
 */
function timeAround(text: string, colon: number): number | undefined {
  if (
    !isDigit(text.charCodeAt(colon - 1)) ||
    !isDigit(text.charCodeAt(colon + 1)) ||
    !isDigit(text.charCodeAt(colon + 2)) ||
    isDigit(text.charCodeAt(colon + 3))
  )
    return undefined;
  const hour = isDigit(text.charCodeAt(colon - 2)) ? colon - 2 : colon - 1;
  const dated = hour >= 11 && isoDateBefore(text, hour);
  // Not part of a longer number or word, nor the minutes of an hh:mm:ss already passed over.
  const before = text.charCodeAt(hour - 1);
  if (!dated && (isWord(before) || before === 58)) return undefined;
  const seconds =
    text.charCodeAt(colon + 3) === 58 &&
    isDigit(text.charCodeAt(colon + 4)) &&
    isDigit(text.charCodeAt(colon + 5)) &&
    !isDigit(text.charCodeAt(colon + 6));
  if (!seconds && !dated) return undefined;
  const start = dated ? hour - 11 : hour;
  clock.lastIndex = start;
  return clock.test(text) ? start : undefined;
}

/** Where the digits of `YYYY-MM-DD` stand, counted back from the time's first digit. */
const dateDigits = [2, 3, 5, 6, 8, 9, 10, 11] as const;

/** `YYYY-MM-DDT` or `YYYY-MM-DD ` just before `at`. */
function isoDateBefore(text: string, at: number): boolean {
  const sep = text.charCodeAt(at - 1);
  if (sep !== 84 && sep !== 32) return false;
  if (text.charCodeAt(at - 4) !== 45 || text.charCodeAt(at - 7) !== 45) return false;
  for (const k of dateDigits) if (!isDigit(text.charCodeAt(at - k))) return false;
  return true;
}
