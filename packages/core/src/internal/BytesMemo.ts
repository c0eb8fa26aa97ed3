/**
 * A memo keyed by the content of large byte arrays (an image or a PDF sent with every request, the long strings of
 * a body sent as bytes), for arrays that arrive as new objects or are reused by their owner for other content.
 *
 * As `ContentMemo` does for strings: the key is the length and two dozen bytes sampled across the content, and the
 * content is then confirmed with one memory comparison (Node's `Buffer#equals`: about 50 µs for 1 MB, where hashing
 * it byte by byte takes about 1.7 ms), against a copy the memo keeps, since the owner may change its array later.
 * Bounded by entries and by bytes held, in two generations: a hit in the old one is promoted, and when the young
 * one reaches half of either bound the old one is dropped.
 * @internal
 */
export class BytesMemo<V> {
  #young = new Map<number, Entry<V>[]>();
  #old = new Map<number, Entry<V>[]>();
  #youngEntries = 0;
  #youngBytes = 0;
  readonly #halfEntries: number;
  readonly #halfBytes: number;

  constructor(maxEntries: number, maxBytes: number) {
    this.#halfEntries = Math.max(1, Math.ceil(maxEntries / 2));
    this.#halfBytes = Math.max(1, Math.ceil(maxBytes / 2));
  }

  get(bytes: Uint8Array): V | undefined {
    const key = sampleKey(bytes);
    const young = find(this.#young.get(key), bytes);
    if (young) return young.value;
    const old = find(this.#old.get(key), bytes);
    if (!old) return undefined;
    this.#put(key, old);
    return old.value;
  }

  /** Remembers `value` for a copy of `bytes`; arrays larger than half the byte bound are not kept. */
  set(bytes: Uint8Array, value: V): void {
    if (bytes.length > this.#halfBytes) return;
    const key = sampleKey(bytes);
    const there = find(this.#young.get(key), bytes);
    if (there) there.value = value;
    else this.#put(key, { bytes: bytes.slice(), value });
  }

  #put(key: number, entry: Entry<V>): void {
    if (this.#youngEntries >= this.#halfEntries || this.#youngBytes + entry.bytes.length > this.#halfBytes) {
      this.#old = this.#young;
      this.#young = new Map();
      this.#youngEntries = 0;
      this.#youngBytes = 0;
    }
    const bucket = this.#young.get(key);
    if (bucket) {
      if (bucket.length >= maxBucket) bucket.shift();
      bucket.push(entry);
    } else this.#young.set(key, [entry]);
    this.#youngEntries++;
    this.#youngBytes += entry.bytes.length;
  }
}

interface Entry<V> {
  readonly bytes: Uint8Array;
  value: V;
}

const maxBucket = 4;

/** Node's `Buffer`, when there is one (core runs anywhere, so it is looked up rather than imported). */
const nodeBuffer = (
  globalThis as { Buffer?: { prototype: { equals(this: Uint8Array, other: Uint8Array): boolean } } }
).Buffer;

/** Byte-for-byte equality: a native memory comparison where `Buffer` offers one. */
const sameBytes: (a: Uint8Array, b: Uint8Array) => boolean =
  nodeBuffer !== undefined
    ? (a, b) => a.length === b.length && nodeBuffer.prototype.equals.call(a, b)
    : (a, b) => {
        if (a.length !== b.length) return false;
        for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
        return true;
      };

function find<V>(bucket: Entry<V>[] | undefined, bytes: Uint8Array): Entry<V> | undefined {
  if (bucket === undefined) return undefined;
  for (let i = 0; i < bucket.length; i++) if (sameBytes(bucket[i]!.bytes, bytes)) return bucket[i];
  return undefined;
}

/** The length, 16 bytes at even steps and the last 8, mixed into a small integer (as `ContentMemo` keys strings). */
function sampleKey(b: Uint8Array): number {
  const n = b.length;
  let h = Math.imul(n ^ 0x2f6b1d3c, 0x9e3779b1);
  const step = n <= 32 ? 1 : (n >>> 4) | 0;
  for (let i = 0; i < n; i += step) h = Math.imul(h ^ b[i]!, 0x85ebca6b);
  for (let i = n > 8 ? n - 8 : 0; i < n; i++) h = Math.imul(h ^ b[i]!, 0xc2b2ae35);
  return (h ^ (h >>> 15)) & 0x3fffffff;
}
