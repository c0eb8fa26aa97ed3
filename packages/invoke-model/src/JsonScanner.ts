import { indexOfByte } from "./indexOfByte.js";
import { bigString } from "./parseJsonText.js";
import { utf8DecoderKeepingBom } from "./utf8.js";

/** Thrown inside the scanner when the text is not what the fast path handles; the caller falls back. */
export const unsupported = Symbol("unsupported");

/**
 * A minimal scanner over JSON that JSON.parse has already accepted: it finds where values start and end without
 * building them. It reads a string (positions are characters) or UTF-8 bytes (positions are bytes, so edits are
 * made to the bytes as they are, whatever characters they encode). Strings are skipped by searching for the next
 * quote (a tool result or a system prompt is one long string), so a pass over a large body costs far less than
 * re-serialising it (see `bodyEdits`). One class for both, branching per read, so the character loops stay monomorphic.
 */
export class JsonScanner {
  i = 0;
  /** Where the last key read by {@link key} starts (its opening quote). */
  keyStart = 0;
  readonly length: number;
  readonly #text: string;
  readonly #bytes: Uint8Array | undefined;
  readonly #find: (bytes: Uint8Array, value: number, from: number) => number;
  /**
   * When set, the [open, close] quote positions of every string of {@link bigString} characters or more that the
   * scan passes (flattened, in order): what `parseJsonText` would search the text for again.
   */
  bigStrings: number[] | undefined = undefined;

  constructor(body: string | Uint8Array, find: (bytes: Uint8Array, value: number, from: number) => number) {
    this.#text = typeof body === "string" ? body : "";
    this.#bytes = typeof body === "string" ? undefined : body;
    this.length = body.length;
    this.#find = find;
  }

  /** The character (or byte) at `i`; NaN out of range. */
  code(i: number): number {
    const b = this.#bytes;
    if (b === undefined) return this.#text.charCodeAt(i);
    return i >= 0 && i < b.length ? b[i]! : Number.NaN;
  }

  /** The text from `start` to `end`. */
  slice(start: number, end: number): string {
    const b = this.#bytes;
    if (b === undefined) return this.#text.slice(start, end);
    // Keys and type names: ASCII, read without a call into the decoder.
    let out = "";
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (c > 127) return utf8DecoderKeepingBom.decode(b.subarray(start, end));
      out += String.fromCharCode(c);
    }
    return out;
  }

  ws(): void {
    const t = this.#text;
    const b = this.#bytes;
    let i = this.i;
    let c = b === undefined ? t.charCodeAt(i) : b[i];
    while (c === 32 || c === 10 || c === 13 || c === 9) c = b === undefined ? t.charCodeAt(++i) : b[++i];
    this.i = i;
  }

  peek(): number {
    this.ws();
    return this.code(this.i);
  }

  expect(code: number): void {
    if (this.peek() !== code) throw unsupported;
    this.i++;
  }

  /** Skips a string starting at `i` (its opening quote). */
  string(): void {
    const t = this.#text;
    const b = this.#bytes;
    let j = this.i;
    do {
      j = b === undefined ? t.indexOf('"', j + 1) : this.#find(b, 34, j + 1);
      if (j < 0) throw unsupported;
    } while (this.code(j - 1) === 92 && escaped(b ?? t, j));
    if (this.bigStrings !== undefined && j - this.i - 1 >= bigString) this.bigStrings.push(this.i, j);
    this.i = j + 1;
  }

  /** An object key, which must be plain (no escapes) to be compared; leaves `i` after the colon. */
  key(): string {
    if (this.peek() !== 34) throw unsupported;
    this.keyStart = this.i;
    const start = this.i + 1;
    this.string();
    // Not a key cachepoint reads, nor a string to take out of the text as a value.
    if (this.bigStrings !== undefined && this.i - start - 1 >= bigString) throw unsupported;
    const k = this.slice(start, this.i - 1);
    if (k.includes("\\")) throw unsupported;
    this.expect(58); // :
    return k;
  }

  /** Skips any value; returns its [start, end). */
  value(): [number, number] {
    const c = this.peek();
    const start = this.i;
    if (c === 34) this.string();
    else if (c === 123 || c === 91)
      this.i = this.#bytes === undefined ? skipText(this.#text, this.i, this.bigStrings) : this.#skipBytes();
    else {
      while (this.i < this.length) {
        const d = this.code(this.i);
        if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
        this.i++;
      }
    }
    return [start, this.i];
  }

  /** {@link skipText} over bytes: the same loop, strings found with `find`. */
  #skipBytes(): number {
    const b = this.#bytes!;
    const find = this.#find;
    let i = this.i;
    let depth = 0;
    for (;;) {
      if (i >= b.length) throw unsupported;
      const d = b[i]!;
      if (d === 34) {
        let j = i;
        do {
          j = find(b, 34, j + 1);
          if (j < 0) throw unsupported;
        } while (b[j - 1] === 92 && escaped(b, j));
        i = j + 1;
        continue;
      }
      i++;
      if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) return i;
      }
    }
  }

  /** Calls `each(index)` at every element of the array at `i`; `each` must consume the element. */
  array(each: (index: number) => void): void {
    this.expect(91);
    if (this.peek() === 93) {
      this.i++;
      return;
    }
    for (let n = 0; ; n++) {
      each(n);
      const c = this.peek();
      this.i++;
      if (c === 93) return;
      if (c !== 44) throw unsupported;
    }
  }

  /** Calls `each(key)` at every member of the object at `i`; `each` must consume the value. */
  object(each: (key: string) => void): void {
    this.expect(123);
    if (this.peek() === 125) {
      this.i++;
      return;
    }
    for (;;) {
      each(this.key());
      const c = this.peek();
      this.i++;
      if (c === 125) return;
      if (c !== 44) throw unsupported;
    }
  }
}

/**
 * The end of the object or array that starts at `i` in `t`. The hot loop of a body with much structure (an agent's
 * history: over a thousand short strings), so strings are skipped here with `indexOf` instead of a method call each.
 */
function skipText(t: string, i: number, big: number[] | undefined): number {
  let depth = 0;
  for (;;) {
    const d = t.charCodeAt(i);
    if (d === 34) {
      let j = i;
      do {
        j = t.indexOf('"', j + 1);
        if (j < 0) throw unsupported;
      } while (t.charCodeAt(j - 1) === 92 && escaped(t, j));
      if (big !== undefined && j - i - 1 >= bigString) big.push(i, j);
      i = j + 1;
      continue;
    }
    if (Number.isNaN(d)) throw unsupported;
    i++;
    if (d === 123 || d === 91) depth++;
    else if (d === 125 || d === 93) {
      depth--;
      if (depth === 0) return i;
    }
  }
}

/** Whether the quote at `j` is escaped: an odd number of backslashes before it. */
function escaped(t: string | Uint8Array, j: number): boolean {
  let slashes = 0;
  while ((typeof t === "string" ? t.charCodeAt(j - 1 - slashes) : t[j - 1 - slashes]) === 92) slashes++;
  return slashes % 2 === 1;
}

/** For a scanner over a string, which never searches bytes. */
const noBytes = (): number => -1;

/** A scanner over a body as text or, where `Buffer` searches bytes natively, as bytes; undefined otherwise. */
export function scannerFor(body: string | Uint8Array): JsonScanner | undefined {
  if (typeof body !== "string" && !indexOfByte) return undefined;
  return new JsonScanner(body, indexOfByte ?? noBytes);
}
