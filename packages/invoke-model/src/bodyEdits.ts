import type { CachePlan, ModelRules, Ttl } from "@cachepoint/core";
import { scannerFor, unsupported } from "./JsonScanner.js";
import { isObj } from "./json.js";
import { utf8Encoder } from "./utf8.js";

/**
 * The JSON text of a checkpoint's value, as `applyAnthropicPlan` writes `cache_control` and `applyConversePlan`
 * a Nova `cachePoint`: the TTL only when it is not Bedrock's 5-minute default and the model offers it.
 */
function checkpointJson(type: "ephemeral" | "default", ttl: Ttl, rules: ModelRules): string {
  return ttl !== "5m" && rules.ttls.includes(ttl)
    ? `{"type":"${type}","ttl":"${ttl}"}`
    : `{"type":"${type}"}`;
}

/** Text that replaces the body's characters from `at` to `end` (exclusive; `end === at` inserts). */
export interface TextEdit {
  readonly at: number;
  readonly end: number;
  readonly text: string;
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/** One member of a JSON object in the text: where its key starts and where its value starts and ends. */
interface Member {
  readonly key: string;
  readonly keyStart: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/**
 * The edit that removes `members[k]` from its object with the separator that goes with it: the comma before it
 * (from the end of the previous value), or for a first member the comma after it (up to the next key).
 */
function removal(members: readonly Member[], k: number): TextEdit {
  const m = members[k]!;
  if (k > 0) return { at: members[k - 1]!.valueEnd, end: m.valueEnd, text: "" };
  const next = members[1];
  return { at: m.keyStart, end: next ? next.keyStart : m.valueEnd, text: "" };
}

/** The index of the member named `key`, or -1; a key that appears twice is not guessed at (JSON.parse keeps the last). */
function only(members: readonly Member[], key: string): number {
  let found = -1;
  for (let k = 0; k < members.length; k++) {
    if (members[k]!.key !== key) continue;
    if (found >= 0) throw unsupported;
    found = k;
  }
  return found;
}

/**
 * Where a body's top-level members and its messages are in its text, as the message-by-message reader found them
 * (`anthropicTextLayout`): each member's key and where its value starts and ends, and where each message starts.
 * @internal
 */
export interface BodyIndex {
  readonly members: readonly { readonly key: string; readonly start: number; readonly end: number }[];
  readonly messageStarts: readonly number[];
}

/** Adds the index of the message a path is in, if it is in one. */
function enteredAt(entered: Set<number>, path: string): void {
  if (path.startsWith("messages/")) entered.add(Number.parseInt(path.slice(9), 10));
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
 * `own` are the checkpoints the reader found in the body (their paths); without one, blocks are skipped without
 * reading their members, and a message is entered only when it holds one of them or a planned checkpoint (an
 * agent's request is a hundred messages, one or two of which change); with the `index` the reader made of the same
 * text, it goes straight to them and to the top-level members without scanning the rest. Only the paths the readers produce (`tools/2`, `toolConfig/tools/2`, `system`, `system/0`,
 * `messages/3/content`, `messages/3/content/1`); anything else (escaped or repeated keys, a block that is not an
 * object, a tool result nested in a tool result's content) returns undefined and the caller re-serialises instead.
 * @internal
 */
export function bodyEdits(
  format: "anthropic" | "nova",
  body: string | Uint8Array,
  plan: CachePlan,
  rules: ModelRules,
  own: readonly { readonly path: string }[],
  index?: BodyIndex,
): TextEdit[] | undefined {
  const ownCheckpoints = own.length > 0;
  const anthropic = format === "anthropic";
  const checkpointKey = anthropic ? "cache_control" : "cachePoint";
  const valueJson = (ttl: Ttl) => checkpointJson(anthropic ? "ephemeral" : "default", ttl, rules);
  const wanted = new Map<string, Ttl>();
  for (const c of plan.checkpoints) if (c.afterBlock >= 0) wanted.set(c.path, c.ttl);
  const out: TextEdit[] = [];
  // A body without checkpoints of its own has nothing to find and drop: with none planned either, no edit.
  if (wanted.size === 0 && !ownCheckpoints) return out;
  const s = scannerFor(body);
  if (s === undefined) return undefined;
  // The messages that hold a planned checkpoint or one of the body's own, by index ("messages/12/content/0" → 12).
  const entered = new Set<number>();
  for (const path of wanted.keys()) enteredAt(entered, path);
  for (const c of own) enteredAt(entered, c.path);

  /** Scans the object at `i` into its members; `inside(key)` may consume a member's value itself (true). */
  const membersOf = (inside?: (key: string) => boolean): Member[] => {
    const members: Member[] = [];
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
  const close = (start: number, end: number, value: string) => {
    if (s.code(start) !== 123 || s.code(end - 1) !== 125) throw unsupported;
    let k = end - 2;
    while (k > start && isSpace(s.code(k))) k--;
    return { at: end - 1, end: end - 1, text: `${k === start ? "" : ","}"${checkpointKey}":${value}` };
  };
  /** A content block (or tool definition) at `path`, an element of a list. */
  const block = (path: string) => {
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
    const nested: TextEdit[] = [];
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
        if (type >= 0 && s.slice(parts[type]!.valueStart, parts[type]!.valueEnd) === '"tool_result"')
          throw unsupported;
        const cc = only(parts, "cache_control");
        if (cc >= 0) nested.push(removal(parts, cc));
      });
      return true;
    });
    const typeAt = only(members, "type");
    const typeJson = typeAt < 0 ? "" : s.slice(members[typeAt]!.valueStart, members[typeAt]!.valueEnd);
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
    const m = members[ccAt]!;
    const existing = JSON.parse(s.slice(m.valueStart, m.valueEnd)) as unknown;
    // The caller's own, with the TTL the plan wants: the block is kept as it was, as both writers keep it.
    if (isObj(existing) && ((existing.ttl as Ttl | undefined) ?? "5m") === ttl) return;
    out.push(...cleaned, { at: m.valueStart, end: m.valueEnd, text: valueJson(ttl) });
  };
  /** A string `system` or message `content` (Anthropic): wrapped into a one-block list when the plan closes it. */
  const string = (path: string) => {
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
  const list = (base: string) => s.array((n) => block(`${base}/${n}`));
  const seen = new Set<string>();
  const once = (k: string) => {
    if (seen.has(k)) throw unsupported; // JSON.parse keeps the last one; do not guess
    seen.add(k);
  };
  /** A message the plan or the caller's own checkpoints touch (any other is skipped whole). */
  const message = (mi: number) => {
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
  };
  const messages = () => {
    if (index) {
      // Straight to the messages that change, where the reader found them.
      for (const mi of [...entered].sort((a, b) => a - b)) {
        const at = index.messageStarts[mi];
        if (at === undefined) continue; // no such message: the checkpoint stays wanted, and the caller falls back
        s.i = at;
        message(mi);
      }
      return;
    }
    s.array((mi) => {
      if (s.peek() !== 123 || !entered.has(mi)) s.value();
      else message(mi);
    });
  };
  /** A member of the body's top-level object, its value at `i`. */
  const member = (k: string) => {
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
    else if (k === "messages" && c === 91) messages();
    else if (!index) s.value();
  };
  try {
    if (index) {
      for (const m of index.members) {
        s.i = m.start;
        member(m.key);
      }
    } else {
      s.object(member);
      s.ws();
      if (s.i !== s.length) throw unsupported;
    }
  } catch (e) {
    if (e === unsupported) return undefined;
    throw e;
  }
  if (wanted.size > 0) return undefined; // a checkpoint whose block was not found
  return out.sort((a, b) => a.at - b.at);
}

/** The text with the edits made (sorted by position, none overlapping). */
export function editText(text: string, edits: readonly TextEdit[]): string {
  let out = "";
  let from = 0;
  for (const x of edits) {
    out += text.slice(from, x.at) + x.text;
    from = x.end;
  }
  return out + text.slice(from);
}

/** How many characters the edits add (negative when they remove more than they write). */
function growth(edits: readonly TextEdit[]): number {
  let n = 0;
  for (const x of edits) n += x.text.length - (x.end - x.at);
  return n;
}

/**
 * The bytes with the edits made at byte positions: edits found in the bytes themselves, or in the text of an all-ASCII
 * body (one byte per character, so its text positions are byte positions). The body's bytes are copied as they are,
 * never re-encoded.
 */
export function editBytes(bytes: Uint8Array, edits: readonly TextEdit[]): Uint8Array {
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
export function encodeAsciiWithEdits(text: string, edits: readonly TextEdit[]): Uint8Array | undefined {
  const out = new Uint8Array(text.length + growth(edits));
  let to = 0;
  const put = (s: string): boolean => {
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
