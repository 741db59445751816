// What each soak cycle does, drawn from a seed with fast-check's arbitraries: the same seed gives the
// same plans (which faults, when and for how long, who writes what, which operator actions). What the
// processes then do in real time (which request a fault hits) is up to the machine, as in production.
import fc from 'fast-check';

/**
 * `cut-503`: a partition, and the first catch-ups after the realtime socket subscribed again answered
 * 503, as by a server swamped by every desk reconnecting at once.
 */
export const FAULT_KINDS = ['server-kill', 'engine-kill', 'cut', 'cut-503', 'http-429', 'http-503', 'drop-response'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultPlan {
  kind: FaultKind;
  /** When it starts, from the start of the cycle's traffic. */
  atMs: number;
  /** How long it lasts (downtime of a killed process, length of a cut or of an injection window). */
  forMs: number;
  /** Injections hit every n-th request while they last; after `cut-503`, this many catch-ups are refused. */
  every: number;
}

/** Operator actions, queued through the desk's bridge. `transfer-invalid` is refused on purpose (a 422 the outbox must keep as failed). */
export const OPERATOR_STEPS = ['send', 'send', 'send', 'mark-read', 'assign-me', 'transfer', 'transfer-invalid'] as const;
export type OperatorStepKind = (typeof OPERATOR_STEPS)[number];

export interface OperatorStep {
  kind: OperatorStepKind;
  pauseMs: number;
}

export interface ConversationPlan {
  /** The customer's messages, each after a pause. */
  customerPausesMs: number[];
  /** What the operator does in this chat once it is on the desk. */
  operator: OperatorStep[];
  /** The operator closes the chat after their last step (a customer writing later starts a new chat). */
  closeAtEnd: boolean;
}

export interface CyclePlan {
  faults: FaultPlan[];
  conversations: ConversationPlan[];
}

const fault: fc.Arbitrary<FaultPlan> = fc.record({
  kind: fc.constantFrom(...FAULT_KINDS),
  atMs: fc.integer({ min: 0, max: 700 }),
  forMs: fc.integer({ min: 100, max: 1200 }),
  every: fc.integer({ min: 1, max: 3 }),
});

const conversation: fc.Arbitrary<ConversationPlan> = fc.record({
  customerPausesMs: fc.array(fc.integer({ min: 0, max: 250 }), { minLength: 1, maxLength: 5 }),
  operator: fc.array(fc.record({ kind: fc.constantFrom(...OPERATOR_STEPS), pauseMs: fc.integer({ min: 0, max: 250 }) }), { minLength: 1, maxLength: 6 }),
  closeAtEnd: fc.boolean(),
});

const cycle: fc.Arbitrary<CyclePlan> = fc.record({
  faults: fc.array(fault, { minLength: 1, maxLength: 3 }),
  conversations: fc.array(conversation, { minLength: 1, maxLength: 3 }),
});

/** `count` cycle plans for `seed`. */
export function planCycles(seed: number, count: number): CyclePlan[] {
  return count <= 0 ? [] : fc.sample(cycle, { seed, numRuns: count });
}
