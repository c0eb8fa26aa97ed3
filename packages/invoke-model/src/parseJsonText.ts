/** Strings at least this long are taken from the text as slices instead of being parsed. @internal */
export const bigString = 4096;
/** Below this, a body cannot hold enough big strings to be worth the scan. @internal */
export const minText = 8192;
const placeholderPrefix = "\u0000cachepoint:";
/**
 * How the placeholder looks in JSON text: if the body's short strings hold it, content could pass for a placeholder.
 * @internal
 */
export const placeholderJson = "\\u0000cachepoint:";

/**
 * `JSON.parse(text)` for an InvokeModel body, without decoding its longest strings. A system prompt or a document
 * of 400,000 characters is most of the body, and parsing copies and checks it character by character (about
 * 1.3 ns each), while cachepoint only needs to read it. So strings of 4,096 characters and more are found with
 * `indexOf`, replaced by short placeholders for `JSON.parse`, and put back as slices of the text (no copy); one
 * with escapes is decoded on its own. The result equals `JSON.parse(text)` for every valid body. One check is
 * given up for those strings: a raw control character inside one (which `JSON.stringify` never writes) is not
 * refused here, and Bedrock refuses the body itself. Anything unusual (a long key, short strings that hold the
 * placeholder text, mostly short strings) falls back to `JSON.parse`, which also throws for invalid JSON. With
 * `without`, the value at those positions (an Anthropic body's messages, read on their own) is parsed as `[]`; with
 * `known`, the big strings' quote positions come from a scan already made (`JsonScanner.bigStrings`), not searched
 * for again.
 * @internal
 */
export function parseJsonText(
  text: string,
  without?: readonly [number, number],
  known?: readonly number[],
): unknown {
  const spans = known ?? bigStringSpans(text, without);
  if (spans === undefined || spans.length === 0) return whole(text, without);
  const skipFrom = without ? without[0] : text.length;
  const values: string[] = [];
  let skeleton = "";
  let from = 0;
  for (let s = 0; s < spans.length; s += 2) {
    const open = spans[s]!;
    const close = spans[s + 1]!;
    if (open > skipFrom && from <= skipFrom) {
      skeleton += `${text.slice(from, skipFrom)}[]`;
      from = without![1];
    }
    const inner = text.slice(open + 1, close);
    values.push(inner.includes("\\") ? (JSON.parse(text.slice(open, close + 1)) as string) : inner);
    skeleton += `${text.slice(from, open)}"${placeholderJson}${s >> 1}"`;
    from = close + 1;
  }
  if (from <= skipFrom && without) {
    skeleton += `${text.slice(from, skipFrom)}[]`;
    from = without[1];
  }
  skeleton += text.slice(from);
  // The body's own short strings must not hold the placeholder text (searched in the skeleton, not the long strings).
  if (placeholders(skeleton) !== values.length) return whole(text, without);
  let parsed: unknown;
  try {
    parsed = JSON.parse(skeleton);
  } catch {
    return whole(text, without); // invalid: the error names the body's own positions
  }
  return restore(parsed, values);
}

/**
 * The [open, close] quote positions of the text's strings of {@link bigString} characters and more (outside
 * `without`), flattened; undefined where taking them out is not worth it or not simple (a short text, a long key,
 * mostly short strings, an unterminated string).
 * @internal
 */
export function bigStringSpans(
  text: string,
  without: readonly [number, number] | undefined,
): number[] | undefined {
  if (text.length < minText) return undefined;
  const skipFrom = without ? without[0] : text.length;
  const spans: number[] = [];
  let bigChars = without ? without[1] - without[0] : 0; // left out, as if taken out as a big string
  let strings = 0;
  for (let i = 0; ; ) {
    let open = text.indexOf('"', i);
    if (open >= skipFrom && i <= skipFrom) open = text.indexOf('"', without![1]); // no string straddles a value
    if (open < 0) break;
    let close = open;
    for (;;) {
      close = text.indexOf('"', close + 1);
      if (close < 0) return undefined; // unterminated: let JSON.parse say so
      let slashes = 0;
      while (text.charCodeAt(close - 1 - slashes) === 92) slashes++;
      if (slashes % 2 === 0) break;
    }
    strings++;
    if (close - open - 1 >= bigString) {
      let k = close + 1;
      while (isSpace(text.charCodeAt(k))) k++;
      if (text.charCodeAt(k) === 58) return undefined; // a key: keep it simple
      spans.push(open, close);
      bigChars += close - open;
    } else if (strings > 64 && bigChars * 2 < close) return undefined; // mostly short strings
    i = close + 1;
  }
  return spans;
}

/** `JSON.parse` of the text, with the value at `without` (from its first character to after its last) as `[]`. */
function whole(text: string, without: readonly [number, number] | undefined): unknown {
  return JSON.parse(without ? `${text.slice(0, without[0])}[]${text.slice(without[1])}` : text);
}

/** @internal */
export const isSpace = (c: number | undefined) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * How many times the placeholder occurs in a skeleton: it must be exactly once per big string taken out, or the
 * body's own short strings hold the placeholder text.
 * @internal
 */
export function placeholders(skeleton: string): number {
  let found = 0;
  for (let k = skeleton.indexOf(placeholderJson); k >= 0; k = skeleton.indexOf(placeholderJson, k + 1))
    found++;
  return found;
}

/** Puts the big strings back where their placeholders are (iteratively: bodies can nest deep). @internal */
export function restore(root: unknown, values: readonly string[]): unknown {
  const isPlaceholder = (v: unknown): v is string => typeof v === "string" && v.startsWith(placeholderPrefix);
  const original = (v: string) => values[Number(v.slice(placeholderPrefix.length))];
  if (isPlaceholder(root)) return original(root);
  if (typeof root !== "object" || root === null) return root;
  const stack: object[] = [root];
  while (stack.length > 0) {
    const o = stack.pop() as Record<string, unknown>;
    if (Array.isArray(o)) {
      for (let i = 0; i < o.length; i++) {
        const v: unknown = o[i];
        if (typeof v === "object" && v !== null) stack.push(v);
        else if (isPlaceholder(v)) o[i] = original(v);
      }
      continue;
    }
    for (const k in o) {
      const v = o[k];
      if (typeof v === "object" && v !== null) stack.push(v);
      // defineProperty: an own "__proto__" key (JSON.parse makes one) must stay a plain property.
      else if (isPlaceholder(v))
        Object.defineProperty(o, k, {
          value: original(v),
          writable: true,
          enumerable: true,
          configurable: true,
        });
    }
  }
  return root;
}
