export interface BackoffPolicy {
  /** Delay before the first retry, in ms. */
  baseMs: number;
  /** No delay grows beyond this. */
  capMs: number;
}

/**
 * Capped exponential backoff with "equal jitter": half the delay is fixed, half random, so retries
 * of many desks after an outage spread out but never come back sooner than half the schedule.
 * `attempt` counts failures so far (1 after the first failure).
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
