import type { PromptLayout } from "./PromptLayout.js";

/**
 * Scales a layout's token counts so they add up to an exact total (from Bedrock's CountTokens). The total
 * becomes exact; how it splits across blocks still follows the estimate, so keep a small planning margin.
 * @public
 */
export function calibrateLayout(layout: PromptLayout, exactTotal: number): PromptLayout {
  const estimated = layout.blocks.reduce((s, b) => s + b.tokens, 0);
  if (!(exactTotal > 0) || estimated <= 0) return layout;
  const f = exactTotal / estimated;
  let assigned = 0;
  const blocks = layout.blocks.map((b, i) => {
    // Largest-remainder style: the last block absorbs rounding so the sum is exact.
    const tokens = i === layout.blocks.length - 1 ? exactTotal - assigned : Math.round(b.tokens * f);
    assigned += tokens;
    return { ...b, tokens: Math.max(0, tokens) };
  });
  return { ...layout, blocks };
}
