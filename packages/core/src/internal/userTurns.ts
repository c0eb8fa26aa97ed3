import type { LayoutBlock } from "../PromptLayout.js";

/**
 * Whether block `i` opens a user message (a tool result's message included): the conversation's turn is the count
 * of these. One rule for the planner's landmarks and the advisor, which must agree on what turn a request is at.
 * @internal
 */
export function opensUserMessage(blocks: readonly LayoutBlock[], i: number): boolean {
  const b = blocks[i]!;
  if (b.section !== "messages" || b.role !== "user") return false;
  const before = blocks[i - 1];
  return before === undefined || before.section !== "messages" || before.messageIndex !== b.messageIndex;
}

/** The conversation's turn in a request: its user messages. @internal */
export function userTurns(blocks: readonly LayoutBlock[]): number {
  let turns = 0;
  for (let i = 0; i < blocks.length; i++) if (opensUserMessage(blocks, i)) turns++;
  return turns;
}
