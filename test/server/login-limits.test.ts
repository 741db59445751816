import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ApiErrorBody } from '../../common/api';
import { dummyPasswordHash, passwordHashing } from '../../server/auth/passwords';
import { RateLimiter } from '../../server/limits/rate-limiter';
import { TestClock } from '../helpers/clock';
import { startServer, type ApiResponse, type TestServer } from '../helpers/server';
import { issueToken, MOD_ID } from './support';

// Issue 10, findings 1 and 2: what a flood of logins may cost the server (memory, hashing threads).
// The test server runs in this process, so this process's RSS is the server's.

function isFunction(value: unknown): value is () => void {
  return typeof value === 'function';
}

/** A full collection before each memory reading, with or without `--expose-gc`. */
function collectGarbage(): void {
  if (globalThis.gc) return globalThis.gc();
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (isFunction(gc)) gc();
}

const MB = 1024 * 1024;

function login(s: TestServer, email: string, password = 'wrong-password'): Promise<ApiResponse<ApiErrorBody>> {
  return s.request<ApiErrorBody>('POST', '/api/v1/auth/login', { body: { email, password } });
}

describe('login limits', () => {
  // First in this file (each test file has its own process): the dummy hash is made once per process.
  it('makes the dummy hash for unknown emails without blocking the event loop', async () => {
    let settled = false;
    const hash = dummyPasswordHash().then((value) => {
      settled = true;
      return value;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'the event loop turned while the hash was being made');
    assert.match(await hash, /^scrypt\$/);
    assert.equal(await dummyPasswordHash(), await hash, 'made once');
  });

  describe('memory', () => {
    let s: TestServer;
    before(async () => {
      s = await startServer();
    });
    after(() => s.close());

    it('refuses 1,000 logins with distinct ~1 MB emails at 422 before counting them, and RSS stays bounded', async () => {
      const { login: perEmail, loginPerIp: perIp } = s.server.deps.limits;
      // One process: the limits are the memory limiter, whose size is what this measures.
      assert.ok(perEmail instanceof RateLimiter && perIp instanceof RateLimiter);
      collectGarbage();
      const baseline = process.memoryUsage();
      const attempts = 1000;
      const batch = 8;
      for (let sent = 0; sent < attempts; sent += batch) {
        const responses = await Promise.all(
          Array.from({ length: batch }, (_, i) => login(s, `${'a'.repeat(1_000_000)}${sent + i}@example.com`)),
        );
        for (const res of responses) {
          assert.equal(res.status, 422);
          assert.equal(res.body.code, 'VALIDATION_ERROR');
          assert.deepEqual(res.body.errors?.email, ['The email field must not be greater than 255 characters.']);
        }
        // Checked as it goes, so the unfixed server fails early instead of taking gigabytes (each refused
        // login kept its ~1 MB email: +600 MB after 400). The heap is what a leak fills; RSS also keeps
        // what the allocator holds on to after the request bodies are freed (~+200 MB here), hence its wider bound.
        if ((sent / batch) % 12 === 0 || sent + batch >= attempts) {
          collectGarbage();
          const now = process.memoryUsage();
          const heap = (now.heapUsed - baseline.heapUsed) / MB;
          const rss = (now.rss - baseline.rss) / MB;
          assert.ok(heap < 50, `the heap grew ${heap.toFixed(0)} MB after ${sent + batch} refused logins`);
          assert.ok(rss < 350, `RSS grew ${rss.toFixed(0)} MB after ${sent + batch} refused logins`);
          assert.equal(perEmail.size, 0, 'nothing was counted for a body that failed validation');
        }
      }
      assert.equal(perIp.size, 0);
      // The refused requests cost the address nothing: a real login still goes through.
      assert.match(await s.login('mod@example.com'), /^\d+\|/);
      assert.ok(perEmail.size <= perEmail.maxKeys && perIp.size <= perIp.maxKeys);
    });

    it('keeps a limiter at its cap however many keys are tried, forgetting the least recent', () => {
      const clock = new TestClock();
      const limiter = new RateLimiter(1, 60_000, clock, 1000);
      for (let i = 0; i < 5000; i++) assert.equal(limiter.hit(`key-${i}`).allowed, true);
      assert.equal(limiter.size, 1000);
      assert.equal(limiter.hit('key-4999').allowed, false, 'a recent key is still counted');
      assert.equal(limiter.hit('key-0').allowed, true, 'the oldest was forgotten');
      clock.advance(60_000);
      assert.equal(limiter.hit('key-4999').allowed, true, 'a window ends after a minute');
      assert.ok(limiter.size <= 1000);
    });
  });

  describe('floods from one address', () => {
    let s: TestServer;
    before(async () => {
      s = await startServer();
    });
    after(() => s.close());

    it('answers 200 logins with distinct unknown emails from one IP mostly with 429 and Retry-After', async () => {
      const perIp = s.server.config.loginPerIpPerMinute;
      assert.equal(perIp, 30, 'the documented default');
      const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => login(s, `ghost-${i}@example.com`)));
      const refused = responses.filter((res) => res.status === 422);
      const limited = responses.filter((res) => res.status === 429);
      assert.equal(refused.length, perIp, 'the first 30 are checked, and refused as wrong credentials');
      assert.equal(limited.length, 200 - perIp);
      for (const res of limited) {
        assert.deepEqual(res.body, { message: 'Too Many Attempts.', code: 'TOO_MANY_REQUESTS' });
        assert.ok(Number(res.headers.get('retry-after')) > 0);
        assert.equal(res.headers.get('x-ratelimit-limit'), String(perIp));
      }
      // The address's own real login waits for the window like everyone from it.
      assert.equal((await login(s, 'mod@example.com', 'password')).status, 429);
      s.clock.advance(60_000);
      assert.match(await s.login('mod@example.com'), /^\d+\|/);
    });
  });

  describe('hashing', () => {
    let s: TestServer;
    before(async () => {
      s = await startServer({ loginPerIpPerMinute: 1000 });
    });
    after(() => s.close());

    it('answers an operator while a flood of logins is hashed, with at most two hashes at a time', async () => {
      const token = await issueToken(s, MOD_ID);
      assert.ok(passwordHashing.concurrency >= 1 && passwordHashing.concurrency <= 2);
      passwordHashing.resetPeak();
      const flood = 40;
      let settled = 0;
      const logins = Array.from({ length: flood }, (_, i) =>
        login(s, `flood-${i}@example.com`).then((res) => {
          settled++;
          return res;
        }),
      );
      // Wait (by turns of the event loop, not by time) until more hashes are asked for than may run at once.
      const inFlight = () => passwordHashing.running + passwordHashing.waiting;
      while (inFlight() <= passwordHashing.concurrency && settled < flood) await new Promise((resolve) => setImmediate(resolve));
      const chats = await s.request<{ data: unknown[] }>('GET', '/api/v1/chats', { token });
      assert.equal(chats.status, 200);
      assert.ok(chats.body.data.length > 0);
      assert.ok(settled < flood, `the chat list answered while ${flood - settled} logins were still in flight`);
      const responses = await Promise.all(logins);
      assert.deepEqual(new Set(responses.map((res) => res.status)), new Set([422]));
      assert.ok(passwordHashing.peak <= passwordHashing.concurrency, `${passwordHashing.peak} hashes ran at once`);
      assert.equal(passwordHashing.running + passwordHashing.waiting, 0);
    });
  });
});
