import { indexOfByte } from "./indexOfByte.js";
import { isObj } from "./json.js";
import { utf8DecoderKeepingBom, utf8Encoder } from "./utf8.js";

/**
 * The JSON text of a checkpoint's value, as `applyAnthropicPlan` writes `cache_control` and `applyConversePlan`
 * a Nova `cachePoint`: the TTL only when it is not Bedrock's 5-minute default and the model offers it.
 */
function checkpointJson(type, ttl, rules) {
  return ttl !== "5m" && rules.ttls.includes(ttl)
    ? `{"type":"${type}","ttl":"${ttl}"}`
    : `{"type":"${type}"}`;
}
/** Thrown inside the scanner when the text is not what the fast path handles; the caller falls back. */
const unsupported = Symbol("unsupported");
/**
 * A minimal scanner over JSON that JSON.parse has already accepted: it finds where values start and end without
 * building them. It reads a string (positions are characters) or UTF-8 bytes (positions are bytes, so edits are
 * made to the bytes as they are, whatever characters they encode). Strings are skipped by searching for the next
 * quote (a tool result or a system prompt is one long string), so a pass over a large body costs far less than
 * re-serialising it. One class for both, branching per read, so the character loops stay monomorphic.
 */
class Scanner {
  i = 0;
  /** Where the last key read by {@link key} starts (its opening quote). */
  keyStart = 0;
  length;
  #text;
  #bytes;
  #find;
  constructor(body, find) {
    this.#text = typeof body === "string" ? body : "";
    this.#bytes = typeof body === "string" ? undefined : body;
    this.length = body.length;
    this.#find = find;
  }
  /** The character (or byte) at `i`; NaN out of range. */
  code(i) {
    const b = this.#bytes;
    if (b === undefined) return this.#text.charCodeAt(i);
    return i >= 0 && i < b.length ? b[i] : Number.NaN;
  }
  /** The text from `start` to `end`. */
  slice(start, end) {
    const b = this.#bytes;
    if (b === undefined) return this.#text.slice(start, end);
    // Keys and type names: ASCII, read without a call into the decoder.
    let out = "";
    for (let i = start; i < end; i++) {
      const c = b[i];
      if (c > 127) return utf8DecoderKeepingBom.decode(b.subarray(start, end));
      out += String.fromCharCode(c);
    }
    return out;
  }
  ws() {
    const t = this.#text;
    const b = this.#bytes;
    let i = this.i;
    let c = b === undefined ? t.charCodeAt(i) : b[i];
    while (c === 32 || c === 10 || c === 13 || c === 9) c = b === undefined ? t.charCodeAt(++i) : b[++i];
    this.i = i;
  }
  peek() {
    this.ws();
    return this.code(this.i);
  }
  expect(code) {
    if (this.peek() !== code) throw unsupported;
    this.i++;
  }
  /** Skips a string starting at `i` (its opening quote). */
  string() {
    const t = this.#text;
    const b = this.#bytes;
    let j = this.i;
    for (;;) {
      j = b === undefined ? t.indexOf('"', j + 1) : this.#find(b, 34, j + 1);
      if (j < 0) throw unsupported;
      let slashes = 0;
      while ((b === undefined ? t.charCodeAt(j - 1 - slashes) : b[j - 1 - slashes]) === 92) slashes++;
      if (slashes % 2 === 0) break;
    }
    this.i = j + 1;
  }
  /** An object key, which must be plain (no escapes) to be compared; leaves `i` after the colon. */
  key() {
    if (this.peek() !== 34) throw unsupported;
    this.keyStart = this.i;
    const start = this.i + 1;
    this.string();
    const k = this.slice(start, this.i - 1);
    if (k.includes("\\")) throw unsupported;
    this.expect(58); // :
    return k;
  }
  /** Skips any value; returns its [start, end). */
  value() {
    const c = this.peek();
    const start = this.i;
    if (c === 34) this.string();
    else if (c === 123 || c === 91) {
      // The hot loop of a body with much structure (an agent's history): the position is kept in a local, and the
      // text or bytes read directly.
      const t = this.#text;
      const b = this.#bytes;
      let i = this.i;
      let depth = 0;
      for (;;) {
        const d = b === undefined ? t.charCodeAt(i) : i < b.length ? b[i] : Number.NaN;
        if (d === 34) {
          this.i = i;
          this.string();
          i = this.i;
          continue;
        }
        if (Number.isNaN(d)) throw unsupported;
        i++;
        if (d === 123 || d === 91) depth++;
        else if (d === 125 || d === 93) {
          depth--;
          if (depth === 0) break;
        }
      }
      this.i = i;
    } else {
      while (this.i < this.length) {
        const d = this.code(this.i);
        if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
        this.i++;
      }
    }
    return [start, this.i];
  }
  /** Calls `each(index)` at every element of the array at `i`; `each` must consume the element. */
  array(each) {
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
  object(each) {
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
/** For a scanner over a string, which never searches bytes. */
const noBytes = () => -1;
const isSpace = (c) => c === 32 || c === 10 || c === 13 || c === 9;
/**
 * The edit that removes `members[k]` from its object with the separator that goes with it: the comma before it
 * (from the end of the previous value), or for a first member the comma after it (up to the next key).
 */
function removal(members, k) {
  const m = members[k];
  if (k > 0) return { at: members[k - 1].valueEnd, end: m.valueEnd, text: "" };
  const next = members[1];
  return { at: m.keyStart, end: next ? next.keyStart : m.valueEnd, text: "" };
}
/** The index of the member named `key`, or -1; a key that appears twice is not guessed at (JSON.parse keeps the last). */
function only(members, key) {
  let found = -1;
  for (let k = 0; k < members.length; k++) {
    if (members[k].key !== key) continue;
    if (found >= 0) throw unsupported;
    found = k;
  }
  return found;
}
/**
 * How a plan is written into the JSON text of an InvokeModel body, as edits, so the body is written without
 * re-serialising it. Anthropic Messages bodies: each checkpoint is `"cache_control":{…}` before the closing brace of
 * the block it closes, and a string `system` or message `content` it closes is wrapped into a one-block list around
 * the original string literal. Nova bodies: a `"cachePoint":{…}` key on the content object it closes. A block's own
 * checkpoint that the plan keeps (same TTL) stays as it was, one whose TTL changes gets the new value in place, and
 * one the plan drops is removed with its comma (for Anthropic, also those inside a tool result's content, which Nova
 * leaves). Everything else keeps its bytes, and `JSON.parse` of the result equals what {@link applyInvokeModelPlan}
 * builds.
 *
 * `ownCheckpoints` says whether the reader found any checkpoint in the body; without one, blocks are skipped without
 * reading their members. Only the paths the readers produce (`tools/2`, `toolConfig/tools/2`, `system`, `system/0`,
 * `messages/3/content`, `messages/3/content/1`); anything else (escaped or repeated keys, a block that is not an
 * object, a tool result nested in a tool result's content) returns undefined and the caller re-serialises instead.
 * @internal
 */
export function bodyEdits(format, body, plan, rules, ownCheckpoints) {
  const anthropic = format === "anthropic";
  const checkpointKey = anthropic ? "cache_control" : "cachePoint";
  const valueJson = (ttl) => checkpointJson(anthropic ? "ephemeral" : "default", ttl, rules);
  const wanted = new Map();
  for (const c of plan.checkpoints) if (c.afterBlock >= 0) wanted.set(c.path, c.ttl);
  const out = [];
  // A body without checkpoints of its own has nothing to find and drop: with none planned either, no edit.
  if (wanted.size === 0 && !ownCheckpoints) return out;
  if (typeof body !== "string" && !indexOfByte) return undefined;
  const s = new Scanner(body, indexOfByte ?? noBytes);
  /** Scans the object at `i` into its members; `inside(key)` may consume a member's value itself (true). */
  const membersOf = (inside) => {
    const members = [];
    s.object((key) => {
      const keyStart = s.keyStart;
      s.ws();
      const valueStart = s.i;
      if (!inside?.(key)) s.value();
      members.push({ key, keyStart, valueStart, valueEnd: s.i });
    });
    return members;
  };
  /** The checkpoint added before the closing brace of the object at [start, end). */
  const close = (start, end, value) => {
    if (s.code(start) !== 123 || s.code(end - 1) !== 125) throw unsupported;
    let k = end - 2;
    while (k > start && isSpace(s.code(k))) k--;
    return { at: end - 1, end: end - 1, text: `${k === start ? "" : ","}"${checkpointKey}":${value}` };
  };
  /** A content block (or tool definition) at `path`, an element of a list. */
  const block = (path) => {
    const ttl = wanted.get(path);
    if (!ownCheckpoints || s.peek() !== 123) {
      // Nothing of the caller's to find in it: skipped, and closed with a checkpoint if the plan says so.
      const [start, end] = s.value();
      if (ttl === undefined) return;
      wanted.delete(path);
      out.push(close(start, end, valueJson(ttl)));
      return;
    }
    const start = s.i;
    // Removals inside a tool result's content, made only if the block turns out to be a tool result.
    const nested = [];
    const members = membersOf((k) => {
      if (!anthropic || k !== "content" || s.peek() !== 91) return false;
      s.array(() => {
        if (s.peek() !== 123) {
          s.value();
          return;
        }
        const parts = membersOf();
        const type = only(parts, "type");
        // A tool result inside a tool result's content would be cleaned again, recursively: leave it to the slow path.
        if (type >= 0 && s.slice(parts[type].valueStart, parts[type].valueEnd) === '"tool_result"')
          throw unsupported;
        const cc = only(parts, "cache_control");
        if (cc >= 0) nested.push(removal(parts, cc));
      });
      return true;
    });
    const typeAt = only(members, "type");
    const typeJson = typeAt < 0 ? "" : s.slice(members[typeAt].valueStart, members[typeAt].valueEnd);
    if (typeJson.includes("\\")) throw unsupported; // an escaped type name: compare parsed values instead
    only(members, "content");
    const cleaned = typeJson === '"tool_result"' ? nested : [];
    const ccAt = only(members, checkpointKey);
    if (ttl === undefined) {
      if (ccAt >= 0) out.push(removal(members, ccAt));
      out.push(...cleaned);
      return;
    }
    wanted.delete(path);
    if (ccAt < 0) {
      out.push(...cleaned, close(start, s.i, valueJson(ttl)));
      return;
    }
    const m = members[ccAt];
    const existing = JSON.parse(s.slice(m.valueStart, m.valueEnd));
    // The caller's own, with the TTL the plan wants: the block is kept as it was, as both writers keep it.
    if (isObj(existing) && (existing.ttl ?? "5m") === ttl) return;
    out.push(...cleaned, { at: m.valueStart, end: m.valueEnd, text: valueJson(ttl) });
  };
  /** A string `system` or message `content` (Anthropic): wrapped into a one-block list when the plan closes it. */
  const string = (path) => {
    const ttl = wanted.get(path);
    const [start, end] = s.value();
    if (ttl === undefined) return;
    if (!anthropic) throw unsupported;
    wanted.delete(path);
    out.push(
      { at: start, end: start, text: '[{"type":"text","text":' },
      { at: end, end, text: `,"cache_control":${valueJson(ttl)}}]` },
    );
  };
  const list = (base) => s.array((n) => block(`${base}/${n}`));
  const seen = new Set();
  const once = (k) => {
    if (seen.has(k)) throw unsupported; // JSON.parse keeps the last one; do not guess
    seen.add(k);
  };
  try {
    s.object((k) => {
      if (k === "system" || k === "tools" || k === "messages" || k === "toolConfig") once(k);
      const c = s.peek();
      if (k === "tools" && c === 91 && anthropic) list("tools");
      else if (k === "toolConfig" && c === 123 && !anthropic)
        s.object((t) => {
          if (t !== "tools") {
            s.value();
            return;
          }
          once("toolConfig/tools");
          if (s.peek() === 91) list("toolConfig/tools");
          else s.value();
        });
      else if (k === "system" && c === 34) string("system");
      else if (k === "system" && c === 91) list("system");
      else if (k === "messages" && c === 91) {
        s.array((mi) => {
          if (s.peek() !== 123) {
            s.value();
            return;
          }
          let content = false;
          s.object((m) => {
            if (m !== "content") {
              s.value();
              return;
            }
            if (content) throw unsupported;
            content = true;
            const base = `messages/${mi}/content`;
            const v = s.peek();
            if (v === 34) string(base);
            else if (v === 91) list(base);
            else s.value();
          });
        });
      } else s.value();
    });
    s.ws();
    if (s.i !== s.length) throw unsupported;
  } catch (e) {
    if (e === unsupported) return undefined;
    throw e;
  }
  if (wanted.size > 0) return undefined; // a checkpoint whose block was not found
  return out.sort((a, b) => a.at - b.at);
}
/** The text with the edits made (sorted by position, none overlapping). */
export function editText(text, edits) {
  let out = "";
  let from = 0;
  for (const x of edits) {
    out += text.slice(from, x.at) + x.text;
    from = x.end;
  }
  return out + text.slice(from);
}
/** How many characters the edits add (negative when they remove more than they write). */
function growth(edits) {
  let n = 0;
  for (const x of edits) n += x.text.length - (x.end - x.at);
  return n;
}
/**
 * The bytes with the edits made at byte positions: edits found in the bytes themselves, or in the text of an all-ASCII
 * body (one byte per character, so its text positions are byte positions). The body's bytes are copied as they are,
 * never re-encoded.
 */
export function editBytes(bytes, edits) {
  const out = new Uint8Array(bytes.length + growth(edits));
  let from = 0;
  let to = 0;
  for (const x of edits) {
    out.set(bytes.subarray(from, x.at), to);
    to += x.at - from;
    for (let k = 0; k < x.text.length; k++) out[to++] = x.text.charCodeAt(k);
    from = x.end;
  }
  out.set(bytes.subarray(from), to);
  return out;
}
/**
 * The UTF-8 bytes of the text with the edits made, encoded straight into one buffer, when the text is all ASCII;
 * undefined otherwise (found while encoding: a character that takes more than a byte).
 */
export function encodeAsciiWithEdits(text, edits) {
  const out = new Uint8Array(text.length + growth(edits));
  let to = 0;
  const put = (s) => {
    const r = utf8Encoder.encodeInto(s, out.subarray(to));
    if (r.read !== s.length || r.written !== s.length) return false;
    to += s.length;
    return true;
  };
  let from = 0;
  for (const x of edits) {
    if (!put(text.slice(from, x.at)) || !put(x.text)) return undefined;
    from = x.end;
  }
  return put(text.slice(from)) ? out : undefined;
}
//# sourceMappingURL=bodyEdits.js.map
