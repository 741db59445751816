import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findingLines, resultLines } from '../../scripts/fuzz/report';
import { fuzz } from '../../scripts/fuzz/run';

// CI's short run of `npm run fuzz` (scripts/fuzz.ts): the same generators, a fixed seed, a few thousand
// requests against the real server in a child process. A failure prints the shrunk request and its answer.

const REQUESTS = 3_000;
const SEED = 20_261_201;

describe('fuzz', () => {
  it(`answers ${REQUESTS} fuzzed requests over every route in the documented format, with no 5xx, leak, wrong success or memory growth`, { timeout: 300_000 }, async () => {
    const result = await fuzz({ requests: REQUESTS, seed: SEED, rssBoundMb: 96, heapBoundMb: 32, memoryEvery: 1_000, maxShrinks: 100, log: () => undefined });
    const summary = resultLines(result);
    assert.deepEqual(
      result.findings.map((finding) => findingLines(finding).join('\n')),
      [],
      `${summary.at(-1)} (seed ${SEED}; replay with npm run fuzz -- --requests ${REQUESTS} --seed ${SEED})`,
    );
    assert.match(summary.at(-1) ?? '', /^\d+ passed, 0 failed$/);
    assert.equal(result.passed, REQUESTS);
    // The stateful properties were exercised, not just defined.
    assert.ok(result.coverage.mustRefuse > REQUESTS / 10, `requests that had to be refused: ${result.coverage.mustRefuse}`);
    assert.ok(result.coverage.unchangedChecks > REQUESTS / 20, `refused writes compared: ${result.coverage.unchangedChecks}`);
  });
});
