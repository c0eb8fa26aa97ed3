import { chainFingerprint } from "./fingerprint.js";
import type { PromptLayout } from "./PromptLayout.js";

/**
 * The chained prefix key of every block position: `keys[i]` identifies blocks 0..i exactly (what a cache
 * entry written at a checkpoint after block i is keyed by).
 * @public
 */
export function prefixKeys(layout: PromptLayout): string[] {
  const keys: string[] = new Array(layout.blocks.length);
  let h = "";
  for (let i = 0; i < layout.blocks.length; i++) {
    const b = layout.blocks[i]!;
    h = chainFingerprint(h, b.fingerprint ?? `${b.kind}:${b.tokens}`);
    keys[i] = h;
  }
  return keys;
}

/**
 * {@link prefixKeys} with every block that holds a per-request value (the time, a UUID) keyed by its
 * `steadyFingerprint`, without it: what the advisor learns by. A system prompt that differs only in the time is then
 * one prefix, written on every request and never read (so `auto` stops paying for it), and one application whose
 * conversations are judged together. Cache entries still go by `prefixKeys`. The same array when no block holds
 * such a value.
 * @internal
 */
export function steadyPrefixKeys(layout: PromptLayout, keys: readonly string[]): readonly string[] {
  const blocks = layout.blocks;
  let i = 0;
  while (i < blocks.length && blocks[i]!.steadyFingerprint === undefined) i++;
  if (i === blocks.length) return keys;
  const steady = keys.slice(0, i);
  let h = i > 0 ? keys[i - 1]! : "";
  for (; i < blocks.length; i++) {
    const b = blocks[i]!;
    h = chainFingerprint(h, b.steadyFingerprint ?? b.fingerprint ?? `${b.kind}:${b.tokens}`);
    steady.push(h);
  }
  return steady;
}
