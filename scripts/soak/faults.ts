// Applying a cycle's faults to the real parts: SIGKILL and restart of the server or the engine, a
// partition of every socket between desk and server, and HTTP answers the relay makes up itself
// (429 with Retry-After, 503) or loses on the way back (the server did the work, the desk never hears).
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpProxy, InjectedAnswer } from '../../test/engine/proxies';
import type { DeskChild, ServerChild } from './children';
import type { FaultKind, FaultPlan } from './plan';

const TOO_MANY: InjectedAnswer = {
  answer: 429,
  headers: { 'Retry-After': '1' },
  body: JSON.stringify({ message: 'Too Many Attempts.', code: 'TOO_MANY_REQUESTS' }),
};
const UNAVAILABLE: InjectedAnswer = { answer: 503, body: JSON.stringify({ message: 'Service Unavailable.', code: 'SERVER_ERROR' }) };

export interface FaultCounts {
  applied: Record<FaultKind, number>;
  /** Requests the relay answered itself or whose answers it dropped. */
  injected: number;
}

export function emptyCounts(): FaultCounts {
  return { applied: { 'server-kill': 0, 'engine-kill': 0, cut: 0, 'cut-503': 0, 'http-429': 0, 'http-503': 0, 'drop-response': 0 }, injected: 0 };
}

interface Injection {
  kind: 'http-429' | 'http-503' | 'drop-response';
  every: number;
  seen: number;
  /** Stops after hitting this many requests (null: lasts its window). */
  left: number | null;
  /** Only requests this says yes to (default: every REST request). */
  only?: (method: string, path: string) => boolean;
  /** Starts hitting only once a request this says yes to has passed. */
  armedBy?: (method: string, path: string) => boolean;
  armed?: boolean;
}

/** The realtime socket's channel authorisation: the desk has reconnected and subscribes again. */
const isChannelAuth = (method: string, path: string) => method === 'POST' && path === '/api/v1/broadcasting/auth';

/** The chat list, which every catch-up asks first. */
const isChatList = (method: string, path: string) => method === 'GET' && path.startsWith('/api/v1/chats?');

/** Drives the relay's rule from the injections active right now. */
export class Faults {
  private readonly injections = new Set<Injection>();

  constructor(
    private readonly parts: { server: ServerChild; desk: DeskChild; proxy: HttpProxy },
    readonly counts: FaultCounts,
  ) {
    parts.proxy.rule = ({ method, path }) => {
      // Only the REST API: the relay does not see inside WebSocket frames (a cut breaks those).
      if (!path.startsWith('/api/')) return 'pass';
      for (const injection of this.injections) {
        if (injection.kind === 'drop-response' && method === 'GET') continue;
        if (injection.left !== null && injection.left <= 0) continue;
        if (injection.armedBy && !injection.armed) {
          if (injection.armedBy(method, path)) injection.armed = true;
          continue;
        }
        if (injection.only && !injection.only(method, path)) continue;
        if (++injection.seen % injection.every !== 0) continue;
        if (injection.left !== null) injection.left--;
        this.counts.injected++;
        switch (injection.kind) {
          case 'http-429':
            return TOO_MANY;
          case 'http-503':
            return UNAVAILABLE;
          case 'drop-response':
            return 'drop-response';
          default: {
            const unreachable: never = injection.kind;
            throw new Error(`unknown injection ${String(unreachable)}`);
          }
        }
      }
      return 'pass';
    };
  }

  /** Waits `atMs`, applies the fault, waits `forMs`, heals it. */
  async run(plan: FaultPlan): Promise<void> {
    await sleep(plan.atMs);
    this.counts.applied[plan.kind]++;
    const { server, desk, proxy } = this.parts;
    switch (plan.kind) {
      case 'server-kill':
        await server.kill();
        await sleep(plan.forMs);
        await server.start();
        return;
      case 'engine-kill':
        await desk.kill();
        await sleep(plan.forMs);
        await desk.start();
        return;
      case 'cut':
        proxy.cut();
        await sleep(plan.forMs);
        proxy.heal();
        return;
      case 'cut-503': {
        proxy.cut();
        await sleep(plan.forMs);
        // The catch-ups after the realtime socket subscribed again are refused a few times.
        const refusals: Injection = { kind: 'http-503', every: 1, seen: 0, left: plan.every, only: isChatList, armedBy: isChannelAuth, armed: false };
        this.injections.add(refusals);
        proxy.heal();
        for (let waited = 0; refusals.left !== null && refusals.left > 0 && waited < 3000; waited += 50) await sleep(50);
        this.injections.delete(refusals);
        return;
      }
      case 'http-429':
      case 'http-503':
      case 'drop-response': {
        const injection: Injection = { kind: plan.kind, every: plan.every, seen: 0, left: null };
        this.injections.add(injection);
        await sleep(plan.forMs);
        this.injections.delete(injection);
        return;
      }
      default: {
        const unreachable: never = plan.kind;
        throw new Error(`unknown fault ${String(unreachable)}`);
      }
    }
  }

  /** Everything back to normal: both processes up, no partition, nothing injected. */
  async healAll(): Promise<void> {
    this.injections.clear();
    this.parts.proxy.heal();
    await this.parts.server.start();
    await this.parts.desk.start();
  }
}
