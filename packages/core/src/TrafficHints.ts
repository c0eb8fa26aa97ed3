/**
 * What you know about your traffic. With hints, `auto` skips checkpoints whose write premium would not be
 * paid back and picks the TTL (5m or 1h) that costs least; without them it caches with the 5m default.
 * @public
 */
export interface TrafficHints {
  /** Requests per minute sharing the static prefix (tools + system), across all users. Poisson assumed. */
  readonly requestsPerMinute?: number;
  /**
   * Requests per minute that reuse one large content block (a document before a question), per document.
   * Documents are usually asked about far less often than the shared system prompt: 20 questions an hour about
   * each document is 0.33, whatever the total rate. Defaults to `requestsPerMinute`.
   */
  readonly contentRequestsPerMinute?: number;
  /** Reads you expect of each static prefix written; overrides `requestsPerMinute` for it. */
  readonly expectedReuses?: number;
  /** Probability (0–1) that a conversation gets another turn. 0 = single-shot requests. */
  readonly nextTurnProbability?: number;
  /** Mean time between a response and the next turn, in ms (user think time or tool latency). */
  readonly turnIntervalMs?: number;
  /**
   * Share (0–1) of next turns that come more than five minutes after the response, as your logs show it. Without
   * it, think times are taken as exponential with mean `turnIntervalMs`, which puts e^(−5 min / mean) of them past
   * five minutes: 13.5% for a 2.5-minute mean, where a chat whose users sometimes step away has more. It decides
   * how often a long conversation gets a 1h read point.
   */
  readonly lateTurnShare?: number;
  /**
   * The most turns a conversation has, counted as user messages (tool results included): a fixed flow's length,
   * or an agent's step limit. A request at this turn gets no checkpoint for a next turn, and its 1h read points
   * stop; earlier turns keep `nextTurnProbability`. Observed continuation does not override it.
   */
  readonly maxTurns?: number;
}
