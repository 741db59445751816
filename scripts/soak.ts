// Randomised fault cycles against the real server and the real desk engine, each in its own process:
// the server and the engine SIGKILLed and restarted, every socket between them cut, 429s and 503s
// made up and answers lost by a relay, while customers write in by signed webhook and an operator
// answers, assigns, transfers, reads and closes through the desk's bridge. After each cycle every
// fault is healed and the cycle's chats are checked: each message on the server exactly once and in
// order, the desk's cache holding exactly the server's messages, and no outbox entry left but the
// refusals provoked on purpose. A last check goes over every chat of the run.
//
//   npm run soak -- --cycles 24 [--seed 1] [--max-minutes 30] [--keep]
//   (SOAK_VERBOSE=1: a failing cycle also prints the engine's log and the relay's last requests)
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startHttpProxy } from '../test/engine/proxies';
import { ServerReader, untilQuiet } from './soak/checks';
import { deskChild, serverChild } from './soak/children';
import { checkConversation, runCycle, SOCKET_NOTICE_MS, type ConversationRecord } from './soak/cycle';
import { emptyCounts, Faults } from './soak/faults';
import { planCycles, type CyclePlan } from './soak/plan';

const USAGE = `Usage: npm run soak -- [--cycles 24] [--seed N] [--max-minutes 30] [--keep]

  --cycles       how many fault cycles to run (default 24)
  --seed         the seed of the cycle plans (default: random; printed, so a run can be repeated)
  --max-minutes  start no new cycle after this long (default 30); the final check still runs
  --keep         keep the server's and the desk's data dirs (kept anyway when something failed)`;

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a whole number\n\n${USAGE}`);
  return Number(value);
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

function describe(plan: CyclePlan): string {
  const faults = plan.faults.map((fault) => `${fault.kind}${fault.kind !== 'server-kill' && fault.kind !== 'engine-kill' && fault.kind !== 'cut' ? `/${fault.every}` : ''}@${fault.atMs}+${fault.forMs}ms`);
  return faults.join(', ');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { cycles: { type: 'string' }, seed: { type: 'string' }, 'max-minutes': { type: 'string' }, keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const cycles = positive(values.cycles, 24, 'cycles');
  const seed = positive(values.seed, Math.floor(Math.random() * 2 ** 31), 'seed');
  const deadline = Date.now() + positive(values['max-minutes'], 30, 'max-minutes') * 60_000;
  const plans = planCycles(seed, cycles);
  const root = mkdtempSync(join(tmpdir(), 'switchboard-soak-'));
  const run = `soak-${seed}-${Date.now().toString(36)}`;
  console.log(`soak: ${cycles} cycles, seed ${seed}, data in ${root}`);

  const proxy = await startHttpProxy('http://127.0.0.1:1');
  const port = await freePort();
  // The desk signs in through the relay, and the server names the relay as its public URL, so the
  // realtime socket and every REST call pass through it (and through its faults).
  const server = serverChild({
    port,
    dataDir: join(root, 'server'),
    publicUrl: proxy.url,
    // The send quota is a fault of its own here (injected 429s); the real one would only slow the run.
    env: { SWITCHBOARD_SEND_PER_MINUTE: '1000000' },
  });
  proxy.target = server.url;
  const desk = deskChild(join(root, 'desk'));
  const counts = emptyCounts();
  const faults = new Faults({ server, desk, proxy }, counts);
  const all: ConversationRecord[] = [];
  let passed = 0;
  let failed = 0;
  let ran = 0;
  try {
    await server.start();
    await desk.start();
    await desk.client.invoke('session.login', { serverUrl: proxy.url, email: 'admin@example.com', password: 'password' });
    const reader = await ServerReader.login(server.url);
    for (const [index, plan] of plans.entries()) {
      if (Date.now() > deadline) {
        console.log(`soak: time limit reached after ${ran} of ${cycles} cycles`);
        break;
      }
      const started = Date.now();
      const result = await runCycle({ server, desk, reader, faults }, plan, `${run}-${index + 1}`);
      ran++;
      // The relay's log is for the report of a failing cycle; a long run keeps only its tail.
      if (proxy.log.length > 500) proxy.log.splice(0, proxy.log.length - 200);
      all.push(...result.conversations);
      const messages = result.conversations.reduce((sum, record) => sum + record.customer.length + record.operator.length, 0);
      const uncertain = result.conversations.reduce((sum, record) => sum + record.operator.filter((item) => !item.certain).length, 0);
      const actions = result.conversations.reduce((sum, record) => sum + record.actions, 0);
      const verdict = result.problems.length === 0 ? 'ok' : `FAILED (${result.problems.length})`;
      console.log(
        `cycle ${index + 1}/${cycles} ${verdict} ${((Date.now() - started) / 1000).toFixed(1)}s · ${describe(plan)} · ${result.conversations.length} chats, ${messages} messages${uncertain ? ` (${uncertain} in doubt)` : ''}, ${actions} actions`,
      );
      for (const problem of result.problems) console.log(`  ✗ ${problem}`);
      if (result.problems.length > 0 && process.env.SOAK_VERBOSE) console.log(`  desk stderr:\n${desk.stderr()}\n  relay:\n${proxy.log.slice(-60).map((r) => `${r.method} ${r.path} ${r.status}${r.injected ? ' (injected)' : ''}`).join('\n')}`);
      if (result.problems.length === 0) passed++;
      else failed++;
    }

    // The whole run once more, with nothing moving: every chat of the run, server and desk.
    const finalProblems: string[] = [];
    const known = new Set(all.flatMap((record) => [...record.chatIds]));
    for (const chat of await reader.chatsOf(`${run}-`)) {
      if (!known.has(chat.id)) finalProblems.push(`final: chat ${chat.id} of ${chat.external_user_id} was made by no delivery the soak saw`);
    }
    if (!(await untilQuiet(desk, Date.now(), Date.now() + SOCKET_NOTICE_MS, 60_000))) finalProblems.push('final: the desk engine did not become quiet within 60 s (realtime not back, or work left)');
    for (const record of all) finalProblems.push(...(await checkConversation({ reader, desk }, record, true)));
    const outbox = (await desk.client.invoke('outbox.list', {})).entries;
    for (const entry of outbox) finalProblems.push(`final: outbox still holds ${entry.kind} on chat ${entry.chatId} (${entry.state}${entry.error ? `: ${entry.error}` : ''})`);
    for (const problem of finalProblems) console.log(`  ✗ ${problem}`);
    const totalMessages = all.reduce((sum, record) => sum + record.customer.length + record.operator.length, 0);
    const applied = Object.entries(counts.applied).map(([kind, count]) => `${count} ${kind}`).join(', ');
    console.log(`final check: ${all.length} chats, ${totalMessages} messages, ${finalProblems.length === 0 ? 'each once on the server and on the desk' : `${finalProblems.length} problems`}`);
    console.log(`faults: ${applied}; ${counts.injected} requests answered or dropped by the relay`);
    if (server.errors.length > 0) console.log(`server stderr had ${server.errors.length} error lines; the last:\n${server.errors.slice(-5).join('\n')}`);
    if (finalProblems.length > 0) failed++;
    console.log(`${passed} passed, ${failed} failed (seed ${seed})`);
    return failed === 0 ? 0 : 1;
  } catch (error) {
    console.error(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    console.error(`server stderr:\n${server.stderr()}\ndesk stderr:\n${desk.stderr()}`);
    failed++;
    console.log(`${passed} passed, ${failed} failed (seed ${seed})`);
    return 1;
  } finally {
    await desk.kill();
    await server.kill();
    await proxy.close();
    if (failed === 0 && !values.keep) rmSync(root, { recursive: true, force: true });
    else console.log(`data kept in ${root}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
