import type { CacheAdvisor } from "../CacheAdvisor.js";
import { ttlMs } from "../ModelRules.js";
import type { PromptLayout } from "../PromptLayout.js";
import type { ConversationMemory } from "./turnSchedule.js";

/** Message ends probed, newest first: a 1h entry further back than this is not looked for. */
const maxProbes = 64;

/**
 * Which of a conversation's entries the advisor saw written or read and are still alive at `now`, probing the ends
 * of its messages from `from` back to `floor`; undefined when the advisor knows none of them (a conversation it has
 * not seen, or has forgotten), so the planner falls back to its stateless schedule.
 * @internal
 */
export function conversationMemory(
  layout: PromptLayout,
  keys: readonly string[],
  entry: NonNullable<CacheAdvisor["entry"]>,
  now: number,
  from: number,
  floor: number,
): ConversationMemory | undefined {
  const b = layout.blocks;
  let alive = -1;
  let known = false;
  let probes = 0;
  for (let i = from; i >= floor && probes < maxProbes; i--) {
    if (i + 1 < b.length && b[i + 1]!.messageIndex === b[i]!.messageIndex) continue; // not the end of a message
    probes++;
    const e = entry(keys[i]!);
    if (e === undefined) continue;
    known = true;
    if (e.expiresAt <= now) continue;
    if (alive < 0) alive = i;
    if (ttlMs(e.ttl) >= ttlMs("1h")) return { alive, hour: i };
  }
  return known ? { alive, hour: -1 } : undefined;
}
