/**
 * A memo keyed by the content of long strings (prompts, documents, tool results), for strings that arrive as new
 * objects on every call: parsed from a request body, or built per request.
 *
 * Why not a `Map<string, V>`: V8 keeps a string's hash on the string object, so a new object with the same content
 * is hashed again over all of its characters (about 1.4 ns a character on the bench machine: 22 µs for a 16,000-
 * character tool result, on every call that carries it). Here the key is the length and two dozen characters
 * sampled across the string, and the content is then confirmed with `===`, a memory comparison over twenty times
 * cheaper a character. Strings that share length and samples share a bucket; `===` tells them apart. The price: a
 * string object seen before (its hash already on it) costs about 90 ns for 1,000 characters where a Map took 9,
 * because the stored key is a copy and the comparison reads both.
 *
 * Bounded two ways, by entries and by characters, in two generations (as `LruCache`): a hit costs no reordering,
 * a hit in the old generation is promoted, and when the young generation reaches half of either bound the old one
 * is dropped. Keys are stored as copies of their own: a string sliced out of a large request body would otherwise
 * keep the whole body alive for as long as its entry lives.
 * @internal
 */
export class ContentMemo<V> {
  #young = new Map<number, Entry<V>[]>();
  #old = new Map<number, Entry<V>[]>();
  #youngEntries = 0;
  #youngChars = 0;
  readonly #halfEntries: number;
  readonly #halfChars: number;
  readonly #wholeUpTo: number;

  /**
   * @param wholeUpTo Strings up to this length are mixed into the key whole, not sampled: for short texts made from
   * one template that differ in a few characters (an agent's tool calls), which samples could miss and a bucket
   * could not hold.
   */
  constructor(maxEntries: number, maxChars = 16_000_000, wholeUpTo = 32) {
    this.#halfEntries = Math.max(1, Math.ceil(maxEntries / 2));
    this.#halfChars = Math.max(1, Math.ceil(maxChars / 2));
    this.#wholeUpTo = wholeUpTo;
  }

  get(text: string): V | undefined {
    const key = sampleKey(text, this.#wholeUpTo);
    const young = find(this.#young.get(key), text);
    if (young) return young.value;
    const old = find(this.#old.get(key), text);
    if (!old) return undefined;
    this.#put(key, old); // promoted as it is: its key is already a copy of its own
    return old.value;
  }

  set(text: string, value: V): void {
    const key = sampleKey(text, this.#wholeUpTo);
    const there = find(this.#young.get(key), text);
    if (there) there.value = value;
    else this.#put(key, { text: detached(text), value });
  }

  /** Entries held in both generations (an entry promoted from the old one counts once per generation). */
  get size(): number {
    let n = 0;
    for (const b of this.#young.values()) n += b.length;
    for (const b of this.#old.values()) n += b.length;
    return n;
  }

  #put(key: number, entry: Entry<V>): void {
    if (this.#youngEntries >= this.#halfEntries || this.#youngChars >= this.#halfChars) {
      this.#old = this.#young;
      this.#young = new Map();
      this.#youngEntries = 0;
      this.#youngChars = 0;
    }
    const bucket = this.#young.get(key);
    if (bucket) {
      // Same length and samples, other content: keep the newest few (a template filled with different values).
      if (bucket.length >= maxBucket) bucket.shift();
      bucket.push(entry);
    } else this.#young.set(key, [entry]);
    this.#youngEntries++;
    this.#youngChars += entry.text.length;
  }
}

interface Entry<V> {
  readonly text: string;
  value: V;
}

const maxBucket = 4;

function find<V>(bucket: Entry<V>[] | undefined, text: string): Entry<V> | undefined {
  if (bucket === undefined) return undefined;
  for (let i = 0; i < bucket.length; i++) if (bucket[i]!.text === text) return bucket[i];
  return undefined;
}

/**
 * The length, 16 characters at even steps and the last 8, mixed into a small integer (a Map key V8 stores without
 * boxing). Strings up to `wholeUpTo` characters are mixed whole.
 */
function sampleKey(s: string, wholeUpTo: number): number {
  const n = s.length;
  let h = Math.imul(n ^ 0x2f6b1d3c, 0x9e3779b1);
  const step = n <= wholeUpTo ? 1 : (n >>> 4) | 0;
  for (let i = 0; i < n; i += step) h = Math.imul(h ^ s.charCodeAt(i), 0x85ebca6b);
  for (let i = n > 8 ? n - 8 : 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0xc2b2ae35);
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

/**
 * A copy of the string that shares no memory with a larger one. V8 may represent a slice as a view into its
 * parent; prepending a character makes a concatenation, and slicing that flattens it into a new string of about
 * the slice's own length. Short strings are always copied by V8 already.
 */
function detached(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}
