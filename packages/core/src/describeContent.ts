import { fingerprint } from "./fingerprint.js";
import { ContentMemo } from "./internal/ContentMemo.js";
import { countOnce, type TokenCounter } from "./TokenCounter.js";

interface Described {
  fingerprint: string;
  counter: TokenCounter | undefined;
  tokens: number;
}

const memo = new ContentMemo<Described>(4096);

/**
 * Token count and fingerprint of a piece of content, memoised together: one lookup per block when the
 * content was seen before (a long system prompt arriving again costs one string comparison, not a pass to
 * count it and another to hash it). Short strings are computed directly.
 * @public
 */
export function describeContent(
  text: string,
  counter: TokenCounter,
): { tokens: number; fingerprint: string } {
  if (text.length < 256) return { tokens: counter.count(text), fingerprint: fingerprint(text) };
  let d = memo.get(text);
  if (d === undefined) {
    d = { fingerprint: fingerprint(text), counter, tokens: countOnce(counter, text) };
    memo.set(text, d);
  } else if (d.counter !== counter) {
    d = { fingerprint: d.fingerprint, counter, tokens: countOnce(counter, text) };
    memo.set(text, d);
  }
  return d;
}
