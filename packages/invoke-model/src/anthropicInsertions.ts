import type { CachePlan, ModelRules, Ttl } from "@cachepoint/core";
import { utf8Encoder } from "./utf8.js";

/** The JSON text of a `cache_control` value, as `applyAnthropicPlan` writes it. */
function cacheControlJson(ttl: Ttl, rules: ModelRules): string {
  return ttl !== "5m" && rules.ttls.includes(ttl)
    ? `{"type":"ephemeral","ttl":"${ttl}"}`
    : `{"type":"ephemeral"}`;
}

/** Thrown inside the scanner when the text is not what the fast path handles; the caller falls back. */
const unsupported = Symbol("unsupported");

/**
 * A minimal scanner over JSON text that JSON.parse has already accepted: it finds where values start and end
 * without building them. Strings are skipped with `indexOf` (a tool result or a system prompt is one long string),
 * so a pass over a large body costs far less than re-serialising it.
 */
class Scanner {
  i = 0;
  constructor(readonly text: string) {}

  ws(): void {
    const t = this.text;
    let c = t.charCodeAt(this.i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = t.charCodeAt(++this.i);
  }

  peek(): number {
    this.ws();
    return this.text.charCodeAt(this.i);
  }

  expect(code: number): void {
    if (this.peek() !== code) throw unsupported;
    this.i++;
  }

  /** Skips a string starting at `i` (its opening quote). */
  string(): void {
    const t = this.text;
    let j = this.i;
    for (;;) {
      j = t.indexOf('"', j + 1);
      if (j < 0) throw unsupported;
      let slashes = 0;
      while (t.charCodeAt(j - 1 - slashes) === 92) slashes++;
      if (slashes % 2 === 0) break;
    }
    this.i = j + 1;
  }

  /** An object key, which must be plain (no escapes) to be compared; leaves `i` after the colon. */
  key(): string {
    if (this.peek() !== 34) throw unsupported;
    const start = this.i + 1;
    this.string();
    const k = this.text.slice(start, this.i - 1);
    if (k.includes("\\")) throw unsupported;
    this.expect(58); // :
    return k;
  }

  /** Skips any value; returns its [start, end). */
  value(): [number, number] {
    const c = this.peek();
    const t = this.text;
    const start = this.i;
    if (c === 34) this.string();
    else if (c === 123 || c === 91) {
      let depth = 0;
      for (;;) {
        const d = t.charCodeAt(this.i);
        if (d === 34) {
          this.string();
          continue;
        }
        if (Number.isNaN(d)) throw unsupported;
        this.i++;
        if (d === 123 || d === 91) depth++;
        else if (d === 125 || d === 93) {
          depth--;
          if (depth === 0) break;
        }
      }
    } else {
      while (this.i < t.length) {
        const d = t.charCodeAt(this.i);
        if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
        this.i++;
      }
    }
    return [start, this.i];
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

/** Text to insert into the body at a position. */
export interface Insertion {
  readonly at: number;
  readonly text: string;
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * Where a plan's checkpoints go in the JSON text of an Anthropic Messages body, as insertions, so the body is
 * written without re-serialising it: each checkpoint is `"cache_control":{…}` before the closing brace of the block
 * it closes, and a string `system` or message `content` it closes is wrapped into a one-block list around the
 * original string literal. Everything else keeps its bytes, and `JSON.parse` of the result equals what
 * {@link applyAnthropicPlan} builds.
 *
 * Only for a body that carries no `cache_control` of its own (nothing to find and drop) and only the paths the
 * Anthropic reader produces (`tools/2`, `system`, `system/0`, `messages/3/content`, `messages/3/content/1`);
 * anything else (escaped or repeated keys, a block that is not an object) returns undefined and the caller
 * re-serialises instead.
 * @internal
 */
export function anthropicInsertions(
  text: string,
  plan: CachePlan,
  rules: ModelRules,
): Insertion[] | undefined {
  const wanted = new Map<string, Ttl>();
  for (const c of plan.checkpoints) if (c.afterBlock >= 0) wanted.set(c.path, c.ttl);
  const out: Insertion[] = [];
  if (wanted.size === 0) return out;
  const s = new Scanner(text);
  const mark = (path: string, kind: "block" | "string") => {
    const ttl = wanted.get(path);
    const [start, end] = s.value();
    if (ttl === undefined) return;
    wanted.delete(path);
    const cc = cacheControlJson(ttl, rules);
    if (kind === "string") {
      if (text.charCodeAt(start) !== 34) throw unsupported;
      out.push({ at: start, text: '[{"type":"text","text":' }, { at: end, text: `,"cache_control":${cc}}]` });
      return;
    }
    if (text.charCodeAt(start) !== 123 || text.charCodeAt(end - 1) !== 125) throw unsupported;
    let k = end - 2;
    while (k > start && isSpace(text.charCodeAt(k))) k--;
    out.push({ at: end - 1, text: `${k === start ? "" : ","}"cache_control":${cc}` });
  };
  const list = (base: string) => s.array((n) => mark(`${base}/${n}`, "block"));
  const seen = new Set<string>();
  try {
    s.object((key) => {
      if (key === "system" || key === "tools" || key === "messages") {
        if (seen.has(key)) throw unsupported; // JSON.parse keeps the last one; do not guess
        seen.add(key);
      }
      const c = s.peek();
      if (key === "tools" && c === 91) list("tools");
      else if (key === "system" && c === 34) mark("system", "string");
      else if (key === "system" && c === 91) list("system");
      else if (key === "messages" && c === 91) {
        s.array((mi) => {
          if (s.peek() !== 123) {
            s.value();
            return;
          }
          let content = false;
          s.object((k) => {
            if (k !== "content") {
              s.value();
              return;
            }
            if (content) throw unsupported;
            content = true;
            const base = `messages/${mi}/content`;
            const v = s.peek();
            if (v === 34) mark(base, "string");
            else if (v === 91) list(base);
            else s.value();
          });
        });
      } else s.value();
    });
    s.ws();
    if (s.i !== text.length) throw unsupported;
  } catch (e) {
    if (e === unsupported) return undefined;
    throw e;
  }
  if (wanted.size > 0) return undefined; // a checkpoint whose block was not found
  return out.sort((a, b) => a.at - b.at);
}

/** The text with the insertions made. */
export function insertIntoText(text: string, insertions: readonly Insertion[]): string {
  let out = "";
  let from = 0;
  for (const x of insertions) {
    out += text.slice(from, x.at) + x.text;
    from = x.at;
  }
  return out + text.slice(from);
}

/**
 * The bytes with the insertions made, for a body whose text is all ASCII (one byte per character, so text
 * positions are byte positions): the body's bytes are copied as they are, never re-encoded.
 */
export function insertIntoAsciiBytes(bytes: Uint8Array, insertions: readonly Insertion[]): Uint8Array {
  let extra = 0;
  for (const x of insertions) extra += x.text.length;
  const out = new Uint8Array(bytes.length + extra);
  let from = 0;
  let to = 0;
  for (const x of insertions) {
    out.set(bytes.subarray(from, x.at), to);
    to += x.at - from;
    for (let k = 0; k < x.text.length; k++) out[to++] = x.text.charCodeAt(k);
    from = x.at;
  }
  out.set(bytes.subarray(from), to);
  return out;
}

/**
 * The UTF-8 bytes of the text with the insertions made, encoded straight into one buffer, when the text is all
 * ASCII; undefined otherwise (found while encoding: a character that takes more than a byte).
 */
export function encodeAsciiWithInsertions(
  text: string,
  insertions: readonly Insertion[],
): Uint8Array | undefined {
  let extra = 0;
  for (const x of insertions) extra += x.text.length;
  const out = new Uint8Array(text.length + extra);
  let to = 0;
  const put = (s: string): boolean => {
    const r = utf8Encoder.encodeInto(s, out.subarray(to));
    if (r.read !== s.length || r.written !== s.length) return false;
    to += s.length;
    return true;
  };
  let from = 0;
  for (const x of insertions) {
    if (!put(text.slice(from, x.at)) || !put(x.text)) return undefined;
    from = x.at;
  }
  return put(text.slice(from)) ? out : undefined;
}
