import { decodeRemembered } from "./decodeRemembered.js";
import { indexOfByte } from "./indexOfByte.js";
import { bigString, isSpace, minText, placeholderJson, placeholders, restore } from "./parseJsonText.js";
import { utf8Decoder, utf8DecoderKeepingBom } from "./utf8.js";
/**
 * `JSON.parse` of a body given as UTF-8 bytes, as {@link parseJsonText} does for text, without decoding the whole
 * body: its long strings (4,096 bytes and more) are found in the bytes, decoded once per content (see
 * `decodeRemembered`) and put back into a parse of the rest. Decoding a 400,000-byte body into one string costs
 * about 450 µs on every call however it is done, most of the plugin's cost on such a body. The result equals
 * `JSON.parse` of the decoded body, with the one check {@link parseJsonText} also gives up for long strings.
 * Undefined where it does not apply (no `Buffer`, a short body, no long string, a long key, mostly short strings,
 * invalid JSON): the caller decodes the body and parses the text instead.
 * @internal
 */
export function parseJsonBytes(bytes) {
  const find = indexOfByte;
  if (!find || bytes.length < minText) return undefined;
  const spans = []; // [open, close] quote positions of each big string, flattened
  let bigBytes = 0;
  let strings = 0;
  for (let i = 0; ; ) {
    const open = find(bytes, 34, i);
    if (open < 0) break;
    let close = open;
    for (;;) {
      close = find(bytes, 34, close + 1);
      if (close < 0) return undefined; // unterminated
      let slashes = 0;
      while (bytes[close - 1 - slashes] === 92) slashes++;
      if (slashes % 2 === 0) break;
    }
    strings++;
    if (close - open - 1 >= bigString) {
      let k = close + 1;
      while (isSpace(bytes[k])) k++;
      if (bytes[k] === 58) return undefined; // a key
      spans.push(open, close);
      bigBytes += close - open;
    } else if (strings > 64 && bigBytes * 2 < close) return undefined; // mostly short strings
    i = close + 1;
  }
  if (spans.length === 0) return undefined;
  const values = [];
  let skeleton = "";
  let from = 0;
  for (let s = 0; s < spans.length; s += 2) {
    const open = spans[s];
    const close = spans[s + 1];
    const inner = bytes.subarray(open + 1, close);
    if (find(inner, 92, 0) < 0) values.push(decodeRemembered(inner));
    else {
      try {
        values.push(JSON.parse(utf8DecoderKeepingBom.decode(bytes.subarray(open, close + 1))));
      } catch {
        return undefined;
      }
    }
    // Only the first piece starts the body, where a whole decode would drop a byte-order mark.
    const piece = (from === 0 ? utf8Decoder : utf8DecoderKeepingBom).decode(bytes.subarray(from, open));
    skeleton += `${piece}"${placeholderJson}${s >> 1}"`;
    from = close + 1;
  }
  skeleton += utf8DecoderKeepingBom.decode(bytes.subarray(from));
  if (placeholders(skeleton) !== values.length) return undefined;
  let parsed;
  try {
    parsed = JSON.parse(skeleton);
  } catch {
    return undefined;
  }
  return restore(parsed, values);
}
//# sourceMappingURL=parseJsonBytes.js.map
