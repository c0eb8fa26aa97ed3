import { fingerprint } from "./fingerprint.js";
import { ContentMemo } from "./internal/ContentMemo.js";
import { countOnce, type TokenCounter } from "./TokenCounter.js";
import { type VolatileValue, volatileValue, withoutVolatile } from "./volatileValue.js";

interface Described {
  fingerprint: string;
  counter: TokenCounter | undefined;
  tokens: number;
  /** Looked for on the first call that asks (null: none found). */
  volatile?: VolatileValue | null | undefined;
  /** With a volatile value: the fingerprint of the text without such values. */
  steadyFingerprint?: string | undefined;
}

const memo = new ContentMemo<Described>(4096);

/**
 * Token count and fingerprint of a piece of content, memoised together: one lookup per block when the
 * content was seen before (a long system prompt arriving again costs one string comparison, not a pass to
 * count it and another to hash it). Short strings are computed directly. With `findVolatile` (the readers ask
 * for it on tools and system blocks, which a cached prefix needs unchanged), also the first value in it that looks
 * different on every request ({@link volatileValue}) and, when there is one, the fingerprint of the text without
 * such values, remembered with the rest.
 * @public
 */
export function describeContent(
  text: string,
  counter: TokenCounter,
  findVolatile = false,
): {
  tokens: number;
  fingerprint: string;
  volatile?: VolatileValue | null | undefined;
  steadyFingerprint?: string | undefined;
} {
  if (text.length < 256) {
    const tokens = counter.count(text);
    const fp = fingerprint(text);
    if (!findVolatile) return { tokens, fingerprint: fp };
    const volatile = volatileValue(text);
    return volatile
      ? { tokens, fingerprint: fp, volatile, steadyFingerprint: fingerprint(withoutVolatile(text)) }
      : { tokens, fingerprint: fp, volatile: null };
  }
  let d = memo.get(text);
  if (d === undefined) {
    d = { fingerprint: fingerprint(text), counter, tokens: countOnce(counter, text) };
    memo.set(text, d);
  } else if (d.counter !== counter) {
    d = {
      fingerprint: d.fingerprint,
      counter,
      tokens: countOnce(counter, text),
      ...(d.volatile !== undefined && { volatile: d.volatile, steadyFingerprint: d.steadyFingerprint }),
    };
    memo.set(text, d);
  }
  if (findVolatile && d.volatile === undefined) {
    d.volatile = volatileValue(text) ?? null;
    if (d.volatile) d.steadyFingerprint = fingerprint(withoutVolatile(text));
  }
  return d;
}
