import type { Exchange, Finding, FuzzResult } from './run';

// How a run reads: each finding with its shrunk request and the answer, then the summary line.

const MiB = 1024 * 1024;

/** Long text shown by its ends, escaped so control characters and binary stay visible and one line. */
export function excerpt(text: string, keep = 600): string {
  if (text.length <= keep) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, keep - 150))} …(${text.length} characters)… ${JSON.stringify(text.slice(-100))}`;
}

function requestLines(exchange: Exchange): string[] {
  const { wire } = exchange.rendered;
  if (wire.kind === 'raw') return [`  raw bytes (${wire.request.bytes.length}): ${excerpt(wire.request.bytes.toString('latin1'))}`];
  const { method, path, headers, body } = wire.request;
  const lines = [`  ${method} ${path.length > 400 ? excerpt(path, 400) : path}`];
  for (const [name, value] of headers) lines.push(`    ${name}: ${value.length > 200 ? excerpt(value, 200) : value}`);
  if (body) lines.push(`    body (${body.length} bytes): ${excerpt(body.toString())}`);
  return lines;
}

function answerLines(exchange: Exchange): string[] {
  const { outcome } = exchange;
  if (outcome.kind === 'no-answer') return [`  no answer: ${outcome.reason} after ${outcome.ms} ms`];
  const { answer } = outcome;
  const lines = [`  ${answer.status} in ${answer.ms} ms`];
  for (const [name, value] of Object.entries(answer.headers)) lines.push(`    ${name}: ${Array.isArray(value) ? value.join(', ') : (value ?? '')}`);
  lines.push(`    body (${answer.body.length} bytes): ${excerpt(answer.body.toString())}`);
  return lines;
}

export function findingLines(finding: Finding): string[] {
  const lines = [`✗ ${finding.signature} — ${finding.count} request${finding.count === 1 ? '' : 's'} failed this way`, `  ${finding.problem.detail}`];
  if (finding.example) {
    const { first, shrunk, shrinks } = finding.example;
    lines.push(`  first at request #${first.index}${shrunk === first ? '' : `; shrunk in ${shrinks} steps`} to:`);
    lines.push(...requestLines(shrunk), '  answered:', ...answerLines(shrunk));
    if (shrunk.rendered.mustRefuse.length > 0) lines.push(`  must be refused because: ${shrunk.rendered.mustRefuse.join('; ')}`);
    if (shrunk.before.length > 0) lines.push('  preceded by (same server, oldest first):', ...shrunk.before.map((line) => `    ${line}`));
    if (shrunk.serverLog.trim()) lines.push('  server log:', ...shrunk.serverLog.trimEnd().split('\n').slice(0, 30).map((line) => `    | ${line}`));
  }
  const others = [...finding.seenOn].filter((label) => label !== finding.example?.shrunk.rendered.label);
  if (others.length > 0) lines.push(`  also on: ${others.slice(0, 12).join(', ')}${others.length > 12 ? `, and ${others.length - 12} more` : ''}`);
  return lines;
}

export function resultLines(result: FuzzResult): string[] {
  const lines: string[] = [];
  for (const finding of result.findings) lines.push(...findingLines(finding), '');
  const { start, warm, end, peakGrowth, peakHeapGrowth } = result.memory;
  const mb = (bytes: number | undefined) => (bytes === undefined ? '?' : `${(bytes / MiB).toFixed(0)} MiB`);
  lines.push(`server RSS after GC: ${mb(start.rss)} at start, ${mb(warm?.rss)} warmed up, ${mb(end?.rss)} at the end (peak growth ${mb(peakGrowth)})`);
  lines.push(`server heap after GC: ${mb(start.heapUsed)} at start, ${mb(warm?.heapUsed)} warmed up, ${mb(end?.heapUsed)} at the end (peak growth ${mb(peakHeapGrowth)})`);
  const statuses = [...result.statuses.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([status, n]) => `${status}×${n}`);
  lines.push(`answers: ${statuses.join(' ')}`);
  lines.push(`checked: ${result.coverage.mustRefuse} requests that had to be refused, ${result.coverage.unchangedChecks} refused writes for changes`);
  const slowest = [...result.time.entries()].sort(([, a], [, b]) => b.ms - a.ms).slice(0, 6);
  lines.push(`time: ${slowest.map(([label, t]) => `${label} ${(t.ms / 1000).toFixed(1)} s/${t.requests}`).join(', ')}`);
  lines.push(`seed ${result.seed}, ${result.seconds.toFixed(0)} s, ${result.findings.length} distinct finding${result.findings.length === 1 ? '' : 's'}`);
  lines.push(`${result.passed} passed, ${result.failed} failed`);
  return lines;
}
