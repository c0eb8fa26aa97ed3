/**
 * An approximately-least-recently-used cache with O(1), allocation-free hits: two generations of Maps.
 * Hits in the young generation cost one lookup (no delete and re-insert, which for long string keys would
 * mean comparing the whole key again); hits in the old generation are promoted; when the young generation
 * fills, the old one is dropped. For short keys (model IDs, prefix fingerprints); content is memoised by
 * `ContentMemo`, which neither hashes a long string in full nor keeps the body it was sliced from alive.
 * @internal
 */
export class LruCache<K, V> {
  #young = new Map<K, V>();
  #old = new Map<K, V>();
  readonly #half: number;

  constructor(readonly capacity: number) {
    this.#half = Math.max(1, Math.ceil(capacity / 2));
  }

  get(key: K): V | undefined {
    const v = this.#young.get(key);
    if (v !== undefined) return v;
    const o = this.#old.get(key);
    if (o !== undefined) this.#put(key, o);
    return o;
  }

  set(key: K, value: V): void {
    if (this.#young.has(key)) this.#young.set(key, value);
    else this.#put(key, value);
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }

  #put(key: K, value: V): void {
    if (this.#young.size >= this.#half) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(key, value);
  }
}
