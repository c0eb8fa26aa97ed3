import { fingerprint } from "./fingerprint.js";
import { ContentMemo } from "./internal/ContentMemo.js";
import { countOnce, type TokenCounter } from "./TokenCounter.js";
import { type VolatileValue, volatileValue } from "./volatileValue.js";

interface Described {
  fingerprint: string;
  counter: TokenCounter | undefined;
  tokens: number;
  /** Looked for on the first call that asks (null: none found). */
  volatile?: VolatileValue | null | undefined;
}

const memo = new ContentMemo<Described>(4096);

/**
 * Token count and fingerprint of a piece of content, memoised together: one lookup per block when the
 * content was seen before (a long system prompt arriving again costs one string comparison, not a pass to
 * count it and another to hash it). Short strings are computed directly. With `findVolatile` (the readers ask
 * for it on tools and system blocks, which a cached prefix needs unchanged), also the first value in it that looks
 * different on every request ({@link volatileValue}), remembered with the rest.
 * @public
 */
export function describeContent(
  text: string,
  counter: TokenCounter,
  findVolatile = false,
): { tokens: number; fingerprint: string; volatile?: VolatileValue | null | undefined } {
  if (text.length < 256) {
    const tokens = counter.count(text);
    return findVolatile
      ? { tokens, fingerprint: fingerprint(text), volatile: volatileValue(text) ?? null }
      : { tokens, fingerprint: fingerprint(text) };
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
      ...(d.volatile !== undefined && { volatile: d.volatile }),
    };
    memo.set(text, d);
  }
  if (findVolatile && d.volatile === undefined) d.volatile = volatileValue(text) ?? null;
  return d;
}
