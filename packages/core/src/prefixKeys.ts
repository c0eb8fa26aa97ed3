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
