import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ApiChat, ChatListResponse } from '../../common/api';
import { startServer, type TestServer } from '../helpers/server';
import { deskHistory, openDesk, serverHistory, tempDir, waitFor } from './helpers';
import { startHttpProxy, type HttpProxy } from './proxies';

const CHILD = fileURLToPath(new URL('./fixtures/crash-desk.ts', import.meta.url));

interface Child {
  process: ChildProcess;
  /** Resolves with the first line for which `match` is true. */
  until(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runChild(args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Record<string, unknown>[] = [];
  const waiters: { match: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    process: child,
    until(match) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ match, resolve });
        exited.then(() => reject(new Error('the child exited first')));
      });
    },
    exited,
  };
}

describe('desk engine: crash safety', () => {
  let server: TestServer;
  let proxy: HttpProxy;
  before(async () => {
    server = await startServer({ sendPerMinute: 100_000 });
    proxy = await startHttpProxy(server.url);
  });
  after(async () => {
    await proxy.close();
    await server.close();
  });

  it('200 queued messages, SIGKILL mid-flush, restart: the server holds each exactly once, in order per chat', async () => {
    const token = await server.login('mod@example.com');
    const mine = (await server.request<ChatListResponse>('GET', '/api/v1/chats?tab=my&status=open&per_page=100', { token })).body.data;
    const chats: ApiChat[] = mine.slice(0, 4);
    assert.equal(chats.length, 4);
    const dataDir = tempDir('switchboard-crash-');
    const crashTexts = async () => (await server.server.store.testing.messageTexts()).filter((text) => text.startsWith('crash '));
    const countOnServer = async () => (await crashTexts()).length;

    // The desk talks through a relay that, after 10 sends, lets the server process each send but keeps
    // its answer: the kill then lands with requests the server has committed and the desk has not.
    let sends = 0;
    proxy.rule = ({ method, path }) => (method === 'POST' && path.endsWith('/send') && ++sends > 10 ? 'hold' : 'pass');
    const first = runChild(['queue', dataDir, proxy.url, chats.map((chat) => chat.id).join(',')]);
    // Held requests are sends the server committed and the desk is still waiting on. The relay's count
    // is polled: it can reach 2 after the desk's last outbox line, when no further line would ask again.
    await Promise.race([waitFor('two sends held mid-flush', () => proxy.held() >= 2, 60_000), first.exited.then(() => Promise.reject(new Error('the queueing desk exited first')))]);
    first.process.kill('SIGKILL');
    const { signal } = await first.exited;
    assert.equal(signal, 'SIGKILL');
    const inFlight = proxy.held();
    const beforeRestart = await countOnServer();
    assert.ok(beforeRestart >= 10 + inFlight && beforeRestart < 200, `killed mid-flush (${beforeRestart} of 200 were on the server)`);
    proxy.rule = () => 'pass';
    proxy.releaseAll();
    const logged = proxy.log.length;

    const second = runChild(['resume', dataDir]);
    await second.until((line) => line.done === true);
    assert.equal((await second.exited).code, 0);

    // The answers the dead desk never saw came again on resume, as 200 with the original.
    const resent = proxy.log.slice(logged).filter((request) => request.path.endsWith('/send') && request.status === 200);
    assert.ok(resent.length >= inFlight, `${resent.length} repeats answered 200, ${inFlight} were in flight`);
    const texts = await crashTexts();
    assert.equal(texts.length, 200, `${texts.length} messages on the server`);
    assert.equal(new Set(texts).size, 200, 'no message twice');
    for (const [index, chat] of chats.entries()) {
      const history = (await serverHistory(server, token, chat.id)).filter((m) => m.text?.startsWith('crash '));
      const expected = Array.from({ length: 200 }, (_, i) => i).filter((i) => i % 4 === index).map((i) => `crash ${i}`);
      assert.deepEqual(
        history.map((m) => m.text),
        expected,
        `chat ${chat.id} in the order written`,
      );
      // And the desk's cache shows each once too.
      const desk = openDesk({ dataDir });
      try {
        await desk.engine.ready;
        const shown = (await deskHistory(desk.client, chat.id)).filter((m) => m.text?.startsWith('crash '));
        assert.deepEqual(
          shown.map((m) => [m.text, m.state]),
          expected.map((text) => [text, 'sent']),
        );
      } finally {
        await desk.close();
      }
    }
  });
});
