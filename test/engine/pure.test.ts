import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiMessage } from '../../common/api';
import { compareMessages } from '../../common/bridge';
import { backoffDelay } from '../../main/engine/backoff';
import { batchSize } from '../../main/engine/catch-up';
import { connectionState, INITIAL_FACTS } from '../../main/engine/connection-state';
import { DeskWindows } from '../../main/engine/windows';
import { shouldNotify, type NotifyContext } from '../../main/engine/notifications';

describe('backoff', () => {
  const policy = { baseMs: 1000, capMs: 60_000 };

  it('doubles per failure between half and all of the ceiling', () => {
    for (const [attempt, ceiling] of [
      [1, 1000],
      [2, 2000],
      [3, 4000],
      [6, 32_000],
    ] as const) {
      assert.equal(backoffDelay(policy, attempt, () => 0), ceiling / 2);
      assert.equal(backoffDelay(policy, attempt, () => 1), ceiling);
    }
  });

  it('never exceeds the cap, however many failures', () => {
    assert.equal(backoffDelay(policy, 50, () => 1), 60_000);
    assert.equal(backoffDelay(policy, 10_000, () => 0), 30_000);
  });

  it('spreads desks retrying at the same attempt (jitter)', () => {
    const delays = new Set(Array.from({ length: 20 }, (_, index) => backoffDelay(policy, 4, () => index / 20)));
    assert.ok(delays.size > 10);
  });
});

describe('catch-up batch size', () => {
  it('asks for as many chats as make about 2,500 messages, judged by the answers so far', () => {
    // Before any answer every chat counts as a full page.
    assert.equal(batchSize(100, 0, 0), 25);
    assert.equal(batchSize(50, 0, 0), 50);
    // Quiet chats (a first sync of 10,000 with a message or two each): the server's maximum of 100.
    assert.equal(batchSize(100, 25, 50), 100);
    assert.equal(batchSize(100, 300, 0), 100);
    // Long histories stay small; one chat a request at the very least.
    assert.equal(batchSize(100, 100, 10_000), 25);
    assert.equal(batchSize(5_000, 0, 0), 1);
  });
});

describe('connection state machine', () => {
  const signedIn = { ...INITIAL_FACTS, signedIn: true };

  it('signed-out → connecting → syncing n/m → online', () => {
    assert.deepEqual(connectionState(INITIAL_FACTS), { kind: 'signed-out' });
    assert.deepEqual(connectionState(signedIn), { kind: 'connecting' });
    assert.deepEqual(connectionState({ ...signedIn, reachability: 'reachable', sync: { done: 40, total: 120 } }), { kind: 'syncing', done: 40, total: 120 });
    assert.deepEqual(connectionState({ ...signedIn, reachability: 'reachable' }), { kind: 'online' });
  });

  it('an outage wins over a sync in progress, and says since when and why', () => {
    const state = connectionState({
      ...signedIn,
      reachability: 'unreachable',
      offlineSince: 1000,
      offlineReason: 'connect ECONNREFUSED',
      nextProbeAt: 4000,
      sync: { done: 1, total: 5 },
    });
    assert.deepEqual(state, { kind: 'offline', since: 1000, reason: 'connect ECONNREFUSED', nextAttemptAt: 4000 });
  });
});

describe('notification decision', () => {
  const message = (overrides: Partial<ApiMessage> = {}) => ({ sender_type: 'client' as const, sender_id: null, chat_id: 7, ...overrides });
  const context = (overrides: Partial<NotifyContext> = {}): NotifyContext => ({
    myUserId: 2,
    preferences: { notify: 'mine+unassigned' },
    showing: () => false,
    ...overrides,
  });

  it('never for our own or any operator or system message', () => {
    assert.equal(shouldNotify(message({ sender_type: 'operator', sender_id: 2 }), 2, context()), false);
    assert.equal(shouldNotify(message({ sender_type: 'operator', sender_id: 9 }), 2, context()), false);
    assert.equal(shouldNotify(message({ sender_type: 'system', sender_id: 9 }), 2, context()), false);
  });

  it('not for the chat on screen in a focused window; yes when unfocused or another chat is open', () => {
    const windows = new DeskWindows({ joined: () => undefined, left: () => undefined });
    const showing = (chatId: number) => windows.showing(chatId);
    const window = windows.open();
    windows.openChat(window, 7);
    assert.equal(shouldNotify(message(), 2, context({ showing })), false);
    windows.setFocused(window, false);
    assert.equal(shouldNotify(message(), 2, context({ showing })), true);
    windows.setFocused(window, true);
    assert.equal(shouldNotify(message({ chat_id: 8 }), 2, context({ showing })), true);
  });

  it('per window: another window\'s blur or close does not change what a focused window shows', () => {
    const joined: number[] = [];
    const left: number[] = [];
    const windows = new DeskWindows({ joined: (id) => joined.push(id), left: (id) => left.push(id) });
    const showing = (chatId: number) => windows.showing(chatId);
    const first = windows.open();
    const second = windows.open();
    windows.openChat(first, 7);
    windows.openChat(second, 8);
    windows.openChat(second, 7);
    // The second window loses the focus last: the first still shows chat 7.
    windows.setFocused(second, false);
    assert.equal(shouldNotify(message({ chat_id: 7 }), 2, context({ showing })), false);
    assert.equal(shouldNotify(message({ chat_id: 8 }), 2, context({ showing })), true);
    assert.deepEqual(joined, [7, 8]);
    // Closing the second window leaves its chats; chat 7 stays joined for the first.
    windows.close(second);
    assert.deepEqual(left, [8]);
    assert.deepEqual([...windows.openChatIds()], [7]);
    windows.close(first);
    assert.deepEqual(left, [8, 7]);
  });

  it('follows the preference: mine, mine+unassigned, all', () => {
    const cases: [NotifyContext['preferences']['notify'], number | null, boolean][] = [
      ['mine', 2, true],
      ['mine', null, false],
      ['mine', 5, false],
      ['mine+unassigned', null, true],
      ['mine+unassigned', 5, false],
      ['all', 5, true],
    ];
    for (const [notify, assignedTo, expected] of cases) {
      assert.equal(shouldNotify(message(), assignedTo, context({ preferences: { notify } })), expected, `${notify} / ${assignedTo}`);
    }
  });
});

describe('message order', () => {
  it('server ids ascending, pending messages after them in the order written', () => {
    const list = [
      { id: -2, createdAt: 0 },
      { id: 40, createdAt: 0 },
      { id: -1, createdAt: 0 },
      { id: 12, createdAt: 0 },
    ];
    assert.deepEqual(
      list.sort(compareMessages).map((message) => message.id),
      [12, 40, -1, -2],
    );
  });
});
