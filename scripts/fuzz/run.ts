import fc from 'fast-check';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkAnswer, EchoMemory, leakPatterns, type LeakPattern, type Problem } from './checks';
import { render, type Rendered } from './render';
import { TokenPool } from './render-auth';
import { ROUTES } from './routes';
import { difference, takeSnapshot } from './snapshots';
import { requestSpec, type RequestSpec } from './specs';
import { startTarget, type Memory, type Target } from './target';
import type { Outcome } from './wire';

// The run: fast-check generates requests and, when one fails, shrinks it to the smallest request that
// fails the same way; then the run goes on (that failure now only counted) until N requests were sent.

export interface FuzzOptions {
  requests: number;
  seed: number;
  /** RSS growth (after a forced GC) beyond this many MiB over the warmed-up server is a failure. */
  rssBoundMb: number;
  /** The same for the JS heap after GC: a tighter signal for what the server keeps in JS objects (maps, caches). */
  heapBoundMb: number;
  /** Requests between memory readings. */
  memoryEvery: number;
  /** Shrinking steps (each one a request) allowed per finding. */
  maxShrinks: number;
  log: (line: string) => void;
}

export interface Exchange {
  index: number;
  rendered: Rendered;
  outcome: Outcome;
  problems: Problem[];
  /** What the server logged while it handled the request. */
  serverLog: string;
  /** The requests just before, oldest first (a failure may depend on what came before on the connection). */
  before: string[];
}

export interface Finding {
  signature: string;
  problem: Problem;
  /** The first request that failed this way and the smallest one fast-check shrank it to (none for memory growth). */
  example?: { first: Exchange; shrunk: Exchange; shrinks: number };
  /** Generated requests that failed this way. */
  count: number;
  /** Other routes or templates the same failure showed on. */
  seenOn: Set<string>;
}

export interface FuzzResult {
  passed: number;
  failed: number;
  findings: Finding[];
  memory: { start: Memory; warm?: Memory; end?: Memory; peakGrowth: number; peakHeapGrowth: number };
  statuses: Map<string, number>;
  /** Wall time per route label (request, snapshots and checks), to see where a run's time goes. */
  time: Map<string, { requests: number; ms: number }>;
  /** How often the two stateful properties were exercised: refused writes compared before/after, requests that had to be refused. */
  coverage: { unchangedChecks: number; mustRefuse: number };
  seconds: number;
  seed: number;
}

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const MiB = 1024 * 1024;

class Run {
  passed = 0;
  failed = 0;
  counted = 0;
  readonly findings = new Map<string, Finding>();
  readonly statuses = new Map<string, number>();
  readonly time = new Map<string, { requests: number; ms: number }>();
  private recent: string[] = [];
  readonly coverage = { unchangedChecks: 0, mustRefuse: 0 };
  private shrinking: { signature: string; steps: number; best?: Exchange } | undefined;
  private pending: Finding | undefined;
  crashed = false;
  private readonly pool: TokenPool;
  private readonly patterns: LeakPattern[];
  private readonly echoes: EchoMemory;
  warm: Memory | undefined;
  end: Memory | undefined;
  peakGrowth = 0;
  peakHeapGrowth = 0;
  private readonly warmAt: number;

  constructor(
    private readonly target: Target,
    private readonly options: FuzzOptions,
    /** Memory of the server before the first request. */
    readonly start: Memory,
  ) {
    this.pool = new TokenPool(target.fixtures);
    this.patterns = leakPatterns([ROOT, target.dataDir]);
    this.echoes = new EchoMemory(this.patterns);
    this.warmAt = Math.min(300, Math.floor(options.requests / 10));
  }

  async exercise(spec: RequestSpec, index: number): Promise<Exchange> {
    try {
      return await this.exerciseUnsafe(spec, index);
    } catch (error) {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      const rendered: Rendered = {
        spec,
        route: undefined,
        label: 'fuzzer',
        wire: { kind: 'raw', request: { bytes: Buffer.from(JSON.stringify(spec).slice(0, 2_000)), complete: true } },
        method: '',
        mustRefuse: [],
        echo: '',
      };
      const problem: Problem = { kind: 'harness', signature: `fuzzer error ${error instanceof Error ? error.message.slice(0, 80) : ''}`, detail };
      return { index, rendered, outcome: { kind: 'no-answer', reason: 'closed', ms: 0 }, problems: [problem], serverLog: '', before: this.recent };
    }
  }

  private async exerciseUnsafe(spec: RequestSpec, index: number): Promise<Exchange> {
    const { client, fixtures } = this.target;
    const started = performance.now();
    const rendered = render(spec, fixtures, this.pool);
    this.echoes.remember(rendered.echo);
    const before = rendered.snapshot ? await takeSnapshot(client, fixtures, rendered.snapshot.kind, rendered.snapshot.chatId) : undefined;
    const logFrom = this.target.stderr().length;
    const outcome = rendered.wire.kind === 'http' ? await client.send(rendered.wire.request) : await client.sendRaw(rendered.wire.request);
    let problems = checkAnswer(rendered, outcome, this.patterns, this.echoes);
    if (outcome.kind === 'no-answer' || this.target.exited()) {
      // Give the exit event a moment: a dying server resets the connection first.
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 200));
      const exit = this.target.exited();
      if (exit) {
        this.crashed = true;
        problems = [{ kind: 'crash', signature: 'server crash', detail: `the server process ${exit}` }, ...problems];
      }
    }
    if (!this.crashed && before !== undefined && rendered.snapshot && outcome.kind === 'answer' && outcome.answer.status >= 400 && outcome.answer.status < 500) {
      const after = await takeSnapshot(client, fixtures, rendered.snapshot.kind, rendered.snapshot.chatId);
      if (index > 0 && after !== undefined) this.coverage.unchangedChecks++;
      if (after !== undefined && after !== before) {
        problems.push({ kind: 'changed', signature: `${rendered.label} changed`, detail: `refused with ${outcome.answer.status} but changed what it names: ${difference(before, after)}` });
      }
    }
    // Errors are logged as they happen, before the answer leaves; a tick lets the pipe deliver them.
    await new Promise((resolvePromise) => setImmediate(resolvePromise));
    const time = this.time.get(rendered.label) ?? { requests: 0, ms: 0 };
    time.requests++;
    time.ms += performance.now() - started;
    this.time.set(rendered.label, time);
    const preceding = this.recent;
    this.recent = [...preceding.slice(-2), summary(rendered, outcome)];
    return { index, rendered, outcome, problems, serverLog: this.target.stderr().slice(logFrom).slice(0, 4_000), before: preceding };
  }

  private note(exchange: Exchange): void {
    if (exchange.rendered.mustRefuse.length > 0) this.coverage.mustRefuse++;
    const status = exchange.outcome.kind === 'answer' ? String(exchange.outcome.answer.status) : exchange.outcome.reason;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    for (const problem of exchange.problems) {
      const finding = this.findings.get(problem.signature);
      if (finding) {
        finding.count++;
        finding.seenOn.add(exchange.rendered.label);
      }
    }
  }

  /** The property fast-check checks: one request, every answer property; `false` starts (or continues) a shrink. */
  readonly property = async (spec: RequestSpec): Promise<boolean> => {
    if (this.crashed) return true;
    if (this.shrinking) {
      const shrink = this.shrinking;
      if (shrink.steps >= this.options.maxShrinks) return true;
      shrink.steps++;
      const exchange = await this.exercise(spec, -1);
      if (!exchange.problems.some((p) => p.signature === shrink.signature)) return true;
      shrink.best = exchange;
      return false;
    }
    await this.memoryCheckpoint();
    this.counted++;
    const exchange = await this.exercise(spec, this.counted);
    if (exchange.problems.length === 0) {
      this.passed++;
      this.note(exchange);
      return true;
    }
    this.failed++;
    const fresh = exchange.problems.find((p) => !this.findings.has(p.signature));
    this.note(exchange);
    if (!fresh) return true;
    const finding: Finding = {
      signature: fresh.signature,
      problem: fresh,
      example: { first: exchange, shrunk: exchange, shrinks: 0 },
      count: 1,
      seenOn: new Set([exchange.rendered.label]),
    };
    this.findings.set(fresh.signature, finding);
    this.options.log(`request ${this.counted}: ${fresh.signature} — shrinking`);
    if (this.crashed) return false;
    this.pending = finding;
    this.shrinking = { signature: fresh.signature, steps: 0 };
    return false;
  };

  /** After fast-check returns: the smallest request that failed the same way becomes the finding's example. */
  settle(): void {
    const finding = this.pending;
    if (finding?.example && this.shrinking) {
      const best = this.shrinking.best;
      if (best) {
        finding.example.shrunk = best;
        finding.problem = best.problems.find((p) => p.signature === finding.signature) ?? finding.problem;
      }
      finding.example.shrinks = this.shrinking.steps;
    }
    this.pending = undefined;
    this.shrinking = undefined;
  }

  async memoryCheckpoint(force = false): Promise<void> {
    const n = this.counted;
    if (!force && n !== this.warmAt && (n === 0 || n % this.options.memoryEvery !== 0)) return;
    // A server that died has no memory to report; the next request finds it gone and reports the crash.
    if (this.target.exited()) return;
    const memory = await this.target.memory();
    if (n === this.warmAt && !this.warm) this.warm = memory;
    const base = this.warm ?? this.start;
    this.peakGrowth = Math.max(this.peakGrowth, memory.rss - base.rss);
    this.peakHeapGrowth = Math.max(this.peakHeapGrowth, memory.heapUsed - base.heapUsed);
    this.options.log(`… ${n}/${this.options.requests} requests, ${this.failed} failed, server RSS ${(memory.rss / MiB).toFixed(0)} MiB (heap ${(memory.heapUsed / MiB).toFixed(0)} MiB)`);
  }
}

/** One line for a request and its answer, as the reports list what came before a failure. */
function summary(rendered: Rendered, outcome: Outcome): string {
  const { wire } = rendered;
  const line = wire.kind === 'http' ? `${wire.request.method} ${wire.request.path}` : `raw ${JSON.stringify(wire.request.bytes.subarray(0, 120).toString('latin1'))}`;
  const answer = outcome.kind === 'answer' ? String(outcome.answer.status) : outcome.reason;
  return `${line.slice(0, 160)} → ${answer}`;
}

async function runChecks(run: Run, options: FuzzOptions): Promise<void> {
  const arbitrary = requestSpec(ROUTES);
  for (let round = 0; run.counted < options.requests && !run.crashed; round++) {
    const numRuns = options.requests - run.counted;
    const seed = (options.seed + round * 7919) | 0;
    // The property never throws (exercise() turns the fuzzer's own errors into findings too), so a failed check is always one of ours.
    await fc.check(fc.asyncProperty(arbitrary, run.property), { numRuns, seed });
    run.settle();
  }
}

/** RSS and heap growth beyond the bounds, as findings (they have no one request to show). */
function memoryFindings(run: Run, options: FuzzOptions, end: Memory): Finding[] {
  const base = run.warm ?? run.start;
  const mb = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;
  const measures = [
    { what: 'RSS', peak: run.peakGrowth, bound: options.rssBoundMb, before: base.rss, after: end.rss },
    { what: 'heap', peak: run.peakHeapGrowth, bound: options.heapBoundMb, before: base.heapUsed, after: end.heapUsed },
  ];
  return measures
    .filter(({ peak, bound }) => peak > bound * MiB)
    .map(({ what, peak, bound, before, after }) => {
      const signature = `server ${what} growth`;
      const detail = `server ${what} after GC grew by ${mb(peak)} (bound ${bound} MiB): ${mb(before)} after warm-up, ${mb(after)} at the end`;
      return { signature, problem: { kind: 'memory', signature, detail }, count: 1, seenOn: new Set<string>() };
    });
}

export async function fuzz(options: FuzzOptions): Promise<FuzzResult> {
  const started = performance.now();
  const disposablePerCaller = Math.ceil(options.requests / ROUTES.length) + 50;
  const target = await startTarget({ disposablePerCaller });
  try {
    const run = new Run(target, options, await target.memory());
    options.log(`server pid ${target.pid} at ${target.fixtures.url}, RSS ${(run.start.rss / MiB).toFixed(0)} MiB; seed ${options.seed}`);
    await runChecks(run, options);
    if (!run.crashed) {
      await run.memoryCheckpoint(true);
      run.end = await target.memory();
      for (const finding of memoryFindings(run, options, run.end)) {
        run.failed++;
        run.findings.set(finding.signature, finding);
      }
    }
    return {
      passed: run.passed,
      failed: run.failed,
      findings: [...run.findings.values()],
      memory: { start: run.start, warm: run.warm, end: run.end, peakGrowth: run.peakGrowth, peakHeapGrowth: run.peakHeapGrowth },
      statuses: run.statuses,
      time: run.time,
      coverage: run.coverage,
      seconds: (performance.now() - started) / 1000,
      seed: options.seed,
    };
  } finally {
    await target.close();
  }
}
