/** 1234567 → "1,234,567" without ICU (`toLocaleString` is costly on a hot path like planning). @internal */
export function formatInt(n: number): string {
  const s = String(Math.round(Math.abs(n)));
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ",";
    out += s[i];
  }
  return n < 0 ? `-${out}` : out;
}
