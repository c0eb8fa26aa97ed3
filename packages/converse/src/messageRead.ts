import type { ExistingCheckpoint, LayoutBlock } from "@cachepoint/core";

/**
 * One message's blocks and checkpoints read on their own, so they can be placed at any index of a layout: paths
 * after `messages/<index>` (`/content/1`), and checkpoints' `afterBlock` counted from the message's first block.
 * What the Converse reader remembers per message object, and the InvokeModel reader per message text. @internal
 */
export interface MessageRead {
  readonly blocks: readonly LayoutBlock[];
  readonly checkpoints: readonly ExistingCheckpoint[];
}

const at = "messages/0".length;

/** A message read as message 0, made placeable (see {@link MessageRead}). @internal */
export function messageRead(
  blocks: readonly LayoutBlock[],
  checkpoints: readonly ExistingCheckpoint[],
): MessageRead {
  return {
    blocks: blocks.map((b) => ({ ...b, path: b.path.slice(at) })),
    checkpoints: checkpoints.map((c) => ({ ...c, path: c.path.slice(at) })),
  };
}

/** The message's blocks and checkpoints, as new objects, at index `mi` of the layout being read. @internal */
export function placeMessage(
  into: { blocks: LayoutBlock[]; checkpoints: ExistingCheckpoint[] },
  m: MessageRead,
  mi: number,
): void {
  const first = into.blocks.length;
  const prefix = `messages/${mi}`;
  for (const b of m.blocks) into.blocks.push({ ...b, path: prefix + b.path, messageIndex: mi });
  for (const c of m.checkpoints)
    into.checkpoints.push({ ...c, afterBlock: first + c.afterBlock, path: prefix + c.path });
}
