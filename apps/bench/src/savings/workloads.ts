import { buildLayout, type LayoutSpec, type PromptLayout, type TrafficHints } from "@cachepoint/core";

/** One request of a workload: when, who, which model, and its prompt as a layout (no checkpoints). */
export interface WorkloadRequest {
  at: number;
  accountId: string;
  region: string;
  modelId: string;
  layout: PromptLayout;
  outputTokens: number;
  /** The application that sent it (its workload's name): in the mix, each application has its own client. */
  app?: string;
}

/** A named, seeded workload and the traffic hints a team running it would know. */
export interface Workload {
  name: string;
  description: string;
  requests: WorkloadRequest[];
  /** What a deployer would tell `auto` about this traffic (rates and think times, not the future). */
  hints: TrafficHints;
  /** One conversation per user, two messages per turn: the conversation reference applies. */
  conversational?: boolean;
  /** In a mix: each application's own hints, by `WorkloadRequest.app`. */
  appHints?: Record<string, TrafficHints>;
}

function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    /** Exponential with the given mean. */
    exp: (mean: number) => -Math.log(1 - next()) * mean,
  };
}

const MIN = 60_000;
// Blocks carry explicit token counts and short unique texts: the fingerprint identifies content, counting is skipped.
const block = (id: string, tokens: number) => ({ text: id, tokens });
const layoutOf = (spec: LayoutSpec) => buildLayout(spec);
const base = { accountId: "111111111111", region: "us-east-1" };
/** Requests are replayed in time order; generators interleave users, so they sort before returning. */
const byTime = (a: WorkloadRequest, b: WorkloadRequest) => a.at - b.at;

/** The chat's share of think times longer than five minutes (6–12 min; the rest are 15–90 s). */
export const chatLateShare = 0.2;

/** Turns in each of the chat's conversations. */
export const chatTurns = 8;

/** Many users chatting with one assistant; think times usually under a minute, sometimes over five. */
export function multiTurnChat(seed = 1, users = 40, turns = chatTurns): Workload {
  const r = prng(seed);
  const requests: WorkloadRequest[] = [];
  const system = block("chat-system-v1", 6000);
  for (let u = 0; u < users; u++) {
    let at = r.exp(3 * MIN) + u * 20_000;
    const messages: NonNullable<LayoutSpec["messages"]>[number][] = [];
    for (let t = 0; t < turns; t++) {
      messages.push({ role: "user", content: [block(`chat-u${u}-q${t}`, r.int(40, 400))] });
      requests.push({
        ...base,
        at,
        modelId: "us.anthropic.claude-sonnet-4-6",
        layout: layoutOf({ system: [system], messages: [...messages] }),
        outputTokens: 250,
      });
      messages.push({ role: "assistant", content: [block(`chat-u${u}-a${t}`, r.int(150, 500))] });
      at += r.next() < chatLateShare ? r.int(6, 12) * MIN : r.int(15, 90) * 1000;
    }
  }
  requests.sort(byTime);
  return {
    name: "multi-turn chat",
    description: `${users} users × ${turns} turns, 6k-token system prompt, think times 15–90 s (${chatLateShare * 100}% of them 6–12 min)`,
    requests,
    hints: { requestsPerMinute: 2, nextTurnProbability: 0.87, turnIntervalMs: 2.5 * MIN },
    conversational: true,
  };
}

/** A large document and bursts of unrelated questions about it. */
export function documentQa(seed = 2, docs = 6, bursts = 3, perBurst = 8): Workload {
  const r = prng(seed);
  const requests: WorkloadRequest[] = [];
  const system = block("qa-system", 400);
  for (let d = 0; d < docs; d++) {
    const doc = {
      kind: "document" as const,
      documentFormat: "pdf",
      text: `qa-doc-${d}`,
      tokens: r.int(25_000, 60_000),
    };
    let at = d * 7 * MIN;
    for (let b = 0; b < bursts; b++) {
      for (let q = 0; q < perBurst; q++) {
        requests.push({
          ...base,
          at,
          modelId: "us.anthropic.claude-sonnet-4-6",
          layout: layoutOf({
            system: [system],
            messages: [{ role: "user", content: [doc, block(`qa-d${d}-b${b}-q${q}`, r.int(20, 80))] }],
          }),
          outputTokens: 300,
        });
        at += r.int(10, 60) * 1000;
      }
      at += r.int(20, 40) * MIN;
    }
  }
  requests.sort(byTime);
  return {
    name: "document Q&A",
    description: `${docs} documents of 25–60k tokens, ${bursts} bursts of ${perBurst} single-shot questions, bursts 20–40 min apart`,
    requests,
    // 1.5 questions a minute in all; each document gets 24 questions in a little over an hour.
    hints: { requestsPerMinute: 1.5, contentRequestsPerMinute: 0.33, nextTurnProbability: 0 },
  };
}

/** Agents calling tools: the context grows every step; steps are seconds apart. */
export function agentLoops(seed = 3, loops = 8): Workload {
  const r = prng(seed);
  const requests: WorkloadRequest[] = [];
  const tools = [block("agent-tools", 3000)];
  const system = block("agent-system", 2500);
  for (let l = 0; l < loops; l++) {
    let at = l * 11 * MIN;
    const steps = r.int(20, 50);
    const messages: NonNullable<LayoutSpec["messages"]>[number][] = [
      { role: "user", content: [block(`agent-l${l}-task`, 300)] },
    ];
    for (let s = 0; s < steps; s++) {
      requests.push({
        ...base,
        at,
        modelId: "us.anthropic.claude-sonnet-4-6",
        layout: layoutOf({ tools, system: [system], messages: [...messages] }),
        outputTokens: 120,
      });
      messages.push({
        role: "assistant",
        content: [{ kind: "toolUse", text: `agent-l${l}-call${s}`, tokens: r.int(40, 120) }],
      });
      messages.push({
        role: "user",
        content: [{ kind: "toolResult", text: `agent-l${l}-result${s}`, tokens: r.int(100, 1500) }],
      });
      at += r.int(3, 20) * 1000;
    }
  }
  requests.sort(byTime);
  return {
    name: "agent tool loops",
    description: `${loops} agent runs of 20–50 steps, tools 3k + system 2.5k tokens, results 100–1,500 tokens, steps 3–20 s apart`,
    requests,
    hints: { requestsPerMinute: 5, nextTurnProbability: 0.97, turnIntervalMs: 12_000 },
  };
}

/** Requests 10–30 minutes apart with a shared prompt: 5-minute entries always expire. */
export function sparseTraffic(seed = 4, count = 60): Workload {
  const r = prng(seed);
  const requests: WorkloadRequest[] = [];
  const system = block("sparse-system", 8000);
  let at = 0;
  for (let i = 0; i < count; i++) {
    requests.push({
      ...base,
      at,
      modelId: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
      layout: layoutOf({
        system: [system],
        messages: [{ role: "user", content: [block(`sparse-q${i}`, r.int(50, 300))] }],
      }),
      outputTokens: 200,
    });
    at += r.int(10, 30) * MIN;
  }
  return {
    name: "sparse traffic",
    description: `${count} single-shot requests 10–30 min apart, 8k-token system prompt (Haiku 4.5)`,
    requests,
    hints: { requestsPerMinute: 1 / 20, nextTurnProbability: 0 },
  };
}

/** A shared prefix read every 6–15 minutes: only a 1h entry survives between reads. */
export function oneHourWins(seed = 5, count = 80): Workload {
  const r = prng(seed);
  const requests: WorkloadRequest[] = [];
  const tools = [block("ops-tools", 4000)];
  const system = block("ops-system", 12_000);
  let at = 0;
  for (let i = 0; i < count; i++) {
    requests.push({
      ...base,
      at,
      modelId: "global.anthropic.claude-opus-4-8",
      layout: layoutOf({
        tools,
        system: [system],
        messages: [{ role: "user", content: [block(`ops-q${i}`, r.int(100, 400))] }],
      }),
      outputTokens: 400,
    });
    at += r.int(6, 15) * MIN;
  }
  return {
    name: "1h TTL wins",
    description: `${count} requests 6–15 min apart sharing 16k tokens of tools and system (Opus 4.8)`,
    requests,
    hints: { requestsPerMinute: 1 / 10, nextTurnProbability: 0 },
  };
}

/** All of the above at once, in one account, interleaved in time. */
export function mixed(): Workload {
  const parts = [
    multiTurnChat(11, 20, 6),
    documentQa(12, 3, 2, 6),
    agentLoops(13, 4),
    sparseTraffic(14, 30),
    oneHourWins(15, 40),
  ];
  const requests = parts.flatMap((p) => p.requests.map((r) => ({ ...r, app: p.name }))).sort(byTime);
  return {
    name: "mix",
    description: "the five workloads above, smaller, interleaved in one account",
    requests,
    // A gateway that serves every application through one client knows one rate for everything: the chat's,
    // the most common traffic. Applications with clients of their own pass their own (see `appHints`).
    hints: parts[0]!.hints,
    appHints: Object.fromEntries(parts.map((p) => [p.name, p.hints])),
  };
}

export function allWorkloads(): Workload[] {
  return [multiTurnChat(), documentQa(), agentLoops(), sparseTraffic(), oneHourWins(), mixed()];
}
