/** mulberry32: a small seeded PRNG, so fault injection and request IDs repeat run to run. @internal */
export function createPrng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A v4-shaped UUID from the PRNG: four 32-bit draws, not one per hex digit (it is made on every request). @internal */
export function prngUuid(next: () => number): string {
  const w = () =>
    Math.floor(next() * 0x100000000)
      .toString(16)
      .padStart(8, "0");
  const a = w();
  const b = w();
  const c = w();
  const d = w();
  const variant = ((Number.parseInt(c[0]!, 16) & 0x3) | 0x8).toString(16);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}
