/** Levenshtein distance with an early exit once it exceeds `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** The `n` candidates closest to `target` by edit distance (ties keep candidate order). @internal */
export function closestStrings(target: string, candidates: readonly string[], n: number): string[] {
  const t = target.toLowerCase();
  const scored = candidates.map((c, i) => {
    const lc = c.toLowerCase();
    // A candidate that contains the target (or vice versa) is a strong hint even when far in edits.
    const contains = lc.includes(t) || t.includes(lc) ? -1000 : 0;
    return { c, i, d: distance(t, lc, 64) + contains };
  });
  scored.sort((x, y) => x.d - y.d || x.i - y.i);
  const out: string[] = [];
  for (const s of scored) {
    if (!out.includes(s.c)) out.push(s.c);
    if (out.length === n) break;
  }
  return out;
}
