import { type MessageRead, messageRead, placeMessage, type ReadResult } from "@cachepoint/converse";
import { ContentMemo, jsonDepth, maxJsonDepth, type TokenCounter } from "@cachepoint/core";
import type { BodyIndex } from "./bodyEdits.js";
import { anthropicLayout, detectBodyFormat, type Reader, readMessage } from "./invokeModelLayout.js";
import { scannerFor, unsupported } from "./JsonScanner.js";
import { isObj } from "./json.js";
import { minText, parseJsonText } from "./parseJsonText.js";

/** What reading a message's text found (with the counter it counted with). */
interface Remembered extends MessageRead {
  readonly counter: TokenCounter;
}

/**
 * Messages read before, by their JSON text. Tool calls are short texts from one template (their ids and inputs
 * differ in a few characters), so texts up to 512 characters are keyed whole rather than by samples.
 */
const remembered = new ContentMemo<Remembered>(4096, 8_000_000, 512);

/** Bodies with fewer messages than this are parsed whole. */
const minMessages = 4;

/** Messages longer than this are read every time (their long strings are remembered by `describeContent`). */
const maxRemembered = 65_536;

/** What {@link anthropicTextLayout} read, and where it found the body's members and messages (for `bodyEdits`). */
export interface TextLayout {
  readonly read: ReadResult & { format: "anthropic" };
  readonly index: BodyIndex;
}

/**
 * The layout of an Anthropic Messages body given as JSON text, read message by message: the text of each message
 * is found with a scan of the body (strings skipped with `indexOf`), a message whose text was read before is placed
 * from what that read found, and only new messages are parsed and read. The rest of the body is parsed with its
 * messages left out. An agent sends its whole history again on every step, and parsing it (a hundred messages,
 * each a few objects) costs about as much as the SDK's whole send; read this way, only the step's new messages are.
 * Equal to `invokeModelLayout(JSON.parse(text))` for every body it answers; undefined where it does not apply (a
 * short body, fewer than four messages, no `messages` list or two of them, an escaped key, a body that is not an
 * Anthropic one, a message with problems, or text that is not valid JSON): the caller parses the whole body.
 * @internal
 */
export function anthropicTextLayout(
  text: string,
  counter: TokenCounter,
  provider: string | undefined,
): TextLayout | undefined {
  if (text.length < minText) return undefined;
  const s = scannerFor(text);
  if (s === undefined) return undefined;
  let listStart = -1;
  let listEnd = -1;
  const starts: number[] = [];
  const ends: number[] = [];
  const members: { key: string; start: number; end: number }[] = [];
  const big: number[] = [];
  s.bigStrings = big; // the long strings' places, so that no parse below searches the text for them again
  try {
    s.object((key) => {
      s.ws();
      const start = s.i;
      if (key !== "messages") s.value();
      else {
        if (listStart >= 0 || s.peek() !== 91) throw unsupported; // twice (JSON.parse keeps the last), or not a list
        listStart = s.i;
        s.array(() => {
          s.peek();
          starts.push(s.i);
          s.value();
          ends.push(s.i);
        });
        listEnd = s.i;
      }
      members.push({ key, start, end: s.i });
    });
    s.ws();
    if (s.i !== s.length) throw unsupported;
  } catch (e) {
    if (e === unsupported) return undefined;
    throw e;
  }
  // A few messages are read with the whole body: remembering them saves little, and a long one (an image, a
  // document) is cheaper to parse in place than to find, slice and parse on its own.
  if (listStart < 0 || starts.length < minMessages) return undefined;
  let body: unknown;
  try {
    body = parseJsonText(
      text,
      [listStart, listEnd],
      big.filter((_, k) => big[k & ~1]! < listStart || big[k & ~1]! >= listEnd),
    );
  } catch {
    return undefined; // invalid: the whole parse says where
  }
  // The format as the whole body would be detected: with a list of messages, only their shape is not seen here.
  if (!isObj(body) || detectBodyFormat(body, provider) !== "anthropic") return undefined;
  if (jsonDepth(body, maxJsonDepth) > maxJsonDepth) return undefined;
  let complete = true;
  let k = 0; // the next long string's place in `big`
  while (k < big.length && big[k]! < listStart) k += 2;
  const read = anthropicLayout(body, counter, (r) => {
    for (let mi = 0; mi < starts.length; mi++) {
      const start = starts[mi]!;
      const end = ends[mi]!;
      const span = text.slice(start, end);
      // The message's long strings, at their places in its own text.
      const inside: number[] = [];
      for (; k < big.length && big[k]! < end; k++) inside.push(big[k]! - start);
      const known = span.length <= maxRemembered ? remembered.get(span) : undefined;
      if (known !== undefined && known.counter === counter) {
        placeMessage(r, known, mi);
        continue;
      }
      let message: unknown;
      try {
        message = parseJsonText(span, undefined, inside); // its long strings (an image, a document) as slices
      } catch {
        complete = false; // not valid JSON: the whole parse says where
        return;
      }
      // The message sits two levels down (the body, its messages list).
      if (jsonDepth(message, maxJsonDepth - 2) > maxJsonDepth - 2) {
        complete = false;
        return;
      }
      const alone: Reader = { counter, blocks: [], checkpoints: [], problems: [] };
      readMessage(alone, message, 0);
      if (alone.problems.length > 0) {
        complete = false; // its diagnostics name its place: read with the whole body
        return;
      }
      const fresh: Remembered = { counter, ...messageRead(alone.blocks, alone.checkpoints) };
      if (span.length <= maxRemembered) remembered.set(span, fresh);
      placeMessage(r, fresh, mi);
    }
  });
  if (!complete) return undefined;
  return { read: { ...read, format: "anthropic" }, index: { members, messageStarts: starts } };
}
