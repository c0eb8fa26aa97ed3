import { defaultTokenCounter } from "@cachepoint/core";

const sentences = [
  "Answer questions about Example Corp's products using only the policy below.",
  "Refunds are accepted within thirty days of delivery when the customer has a receipt.",
  "Damaged items are replaced at no cost once the customer sends a photograph of the damage.",
  "Gift returns receive store credit for the purchase price at the time of the order.",
  "Never promise delivery dates; quote the carrier's estimate and link the tracking page.",
  "Escalate any request involving a chargeback, a legal threat or a safety issue to a human agent.",
  "Keep answers under one hundred and twenty words unless the customer asks for detail.",
  "Use the customer's name once, at the start of the reply, and never ask for a password.",
];

/** A deterministic policy-style system prompt of about `tokens` tokens (by the default estimator). */
export function systemPromptOf(tokens: number): string {
  const counter = defaultTokenCounter();
  const parts: string[] = [];
  let i = 0;
  let text = "";
  // Grow by whole sentences, then check: counting is linear, so this stays fast even for 100k tokens.
  while (counter.count(text) < tokens) {
    for (let k = 0; k < 32; k++) parts.push(`${i + 1}. ${sentences[i++ % sentences.length]}`);
    text = parts.join("\n");
  }
  while (parts.length > 1 && counter.count(parts.slice(0, -1).join("\n")) >= tokens) parts.pop();
  return parts.join("\n");
}
