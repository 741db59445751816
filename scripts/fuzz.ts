// A property-based fuzzer over every route of every dialect (scripts/fuzz/routes.ts), against the real
// server in a child process. It fails (exit 1) on any 5xx, an answer outside the documented format,
// a stack trace or internal path, a success for a request that must be refused, a refused write that
// changed something, a crash, or RSS growth beyond a bound; each failure is shrunk to the smallest
// request that fails the same way and printed with its answer.
//
//   npm run fuzz -- --requests 20000 [--seed 42] [--rss-bound-mb 96] [--heap-bound-mb 32] [--memory-every 1000] [--max-shrinks 150]

import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { resultLines } from './fuzz/report';
import { fuzz } from './fuzz/run';

const USAGE = `Usage: npm run fuzz -- --requests N [--seed S] [--rss-bound-mb 96] [--heap-bound-mb 32] [--memory-every 1000] [--max-shrinks 150]

  --requests      how many generated requests to send (shrinking and snapshots come on top)
  --seed          fast-check's seed; the same seed replays the same requests (default: random, printed)
  --rss-bound-mb  fail when the server's RSS after a forced GC grows more than this over the warmed-up server
  --heap-bound-mb the same for its JS heap
  --memory-every  requests between memory readings
  --max-shrinks   requests spent shrinking each new failure`;

function integer(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text)) throw new Error(`--${name} takes an integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string' },
      seed: { type: 'string' },
      'rss-bound-mb': { type: 'string' },
      'heap-bound-mb': { type: 'string' },
      'memory-every': { type: 'string' },
      'max-shrinks': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const requests = integer('requests', values.requests, 1_000);
  if (requests < 1) throw new Error('--requests must be at least 1');
  const result = await fuzz({
    requests,
    seed: integer('seed', values.seed, randomInt(2 ** 31)),
    rssBoundMb: integer('rss-bound-mb', values['rss-bound-mb'], 96),
    heapBoundMb: integer('heap-bound-mb', values['heap-bound-mb'], 32),
    memoryEvery: Math.max(1, integer('memory-every', values['memory-every'], 1_000)),
    maxShrinks: Math.max(0, integer('max-shrinks', values['max-shrinks'], 150)),
    log: (line) => console.log(line),
  });
  console.log('');
  for (const line of resultLines(result)) console.log(line);
  return result.failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    console.error(`\n${USAGE}`);
    process.exit(2);
  },
);
