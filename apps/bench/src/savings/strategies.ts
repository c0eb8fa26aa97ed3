import {
  type CacheAdvisor,
  createCacheAdvisor,
  type ExistingCheckpoint,
  type PromptLayout,
  planCheckpoints,
  type ResolvedModel,
  type TrafficHints,
} from "@cachepoint/core";

/** Decides the checkpoints of one request; `observe` lets learning strategies see what happened. */
export interface Strategy {
  name: string;
  kind: "baseline" | "peer" | "cachepoint" | "reference";
  /** `at`: when the request is sent (the replay's clock). */
  place(layout: PromptLayout, model: ResolvedModel, at: number, app?: string): ExistingCheckpoint[];
  observe?(
    layout: PromptLayout,
    checkpoints: ExistingCheckpoint[],
    usage: import("@cachepoint/core").CacheUsage,
    at: number,
    app?: string,
  ): void;
}

const cp = (layout: PromptLayout, i: number): ExistingCheckpoint => ({
  afterBlock: i,
  ttl: undefined,
  path: layout.blocks[i]!.path,
  section: layout.blocks[i]!.section,
});
const lastOf = (l: PromptLayout, pred: (b: PromptLayout["blocks"][number]) => boolean) => {
  for (let i = l.blocks.length - 1; i >= 0; i--) if (pred(l.blocks[i]!)) return i;
  return -1;
};
/** Last block of the last (or second-to-last) user message. */
const userEnd = (l: PromptLayout, nth: 1 | 2) => {
  const users = [...new Set(l.blocks.filter((b) => b.role === "user").map((b) => b.messageIndex!))];
  const m = users[users.length - nth];
  return m === undefined ? -1 : lastOf(l, (b) => b.messageIndex === m);
};

/**
 * The fixed placements peers use (shared/research/peers.md): they mark positions by rule, with the 5m
 * default TTL, whatever the model's minimum or budget — Bedrock silently ignores the ones below the minimum.
 */
function fixed(name: string, pick: (l: PromptLayout) => number[]): Strategy {
  return {
    name,
    kind: "peer",
    place(layout, model) {
      const ids = [...new Set(pick(layout).filter((i) => i >= 0))].sort((a, b) => a - b);
      return ids
        .filter((i) => model.rules.cacheableSections.has(layout.blocks[i]!.section))
        .slice(-model.rules.maxCheckpoints)
        .map((i) => cp(layout, i));
    },
  };
}

export function peerStrategies(): Strategy[] {
  const sys = (l: PromptLayout) => lastOf(l, (b) => b.section === "system");
  const tools = (l: PromptLayout) => lastOf(l, (b) => b.section === "tools");
  return [
    fixed("system only", (l) => [sys(l)]),
    fixed("system + tools", (l) => [tools(l), sys(l)]),
    fixed("last user message", (l) => [userEnd(l, 1)]),
    fixed("system + last message", (l) => [sys(l), l.blocks.length - 1]),
    fixed("system + last + penultimate + tools", (l) => [tools(l), sys(l), userEnd(l, 2), userEnd(l, 1)]),
  ];
}

/**
 * cachepoint's planner as a strategy, with or without hints and the advisor. With `appHints`, each application
 * (`WorkloadRequest.app`) is a client of its own: its own hints and, with `advisor`, its own advisor.
 */
export function cachepointStrategy(
  name: string,
  options: { hints?: TrafficHints; appHints?: Record<string, TrafficHints>; advisor?: boolean },
): Strategy {
  const advisors = new Map<string, CacheAdvisor>();
  const advisorOf = (app: string | undefined): CacheAdvisor | undefined => {
    if (!options.advisor) return undefined;
    const key = options.appHints ? (app ?? "") : "";
    let a = advisors.get(key);
    if (!a) {
      a = createCacheAdvisor();
      advisors.set(key, a);
    }
    return a;
  };
  const plans = new WeakMap<PromptLayout, ReturnType<typeof planCheckpoints>>();
  return {
    name,
    kind: "cachepoint",
    place(layout, model, at, app) {
      const hints = (app !== undefined && options.appHints?.[app]) || options.hints;
      const advisor = advisorOf(app);
      const plan = planCheckpoints(layout, model, {
        strategy: "auto",
        now: at,
        ...(hints && { hints }),
        ...(advisor && { advisor }),
      });
      plans.set(layout, plan);
      return plan.checkpoints.map((c) => ({
        afterBlock: c.afterBlock,
        ttl: c.ttl,
        path: c.path,
        section: c.section,
      }));
    },
    observe(layout, _checkpoints, usage, at, app) {
      const plan = plans.get(layout);
      const advisor = advisorOf(app);
      if (advisor && plan) advisor.observe({ plan, layout, usage, at });
    },
  };
}

export const noCaching: Strategy = { name: "no caching", kind: "baseline", place: () => [] };
