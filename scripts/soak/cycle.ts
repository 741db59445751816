// One soak cycle: customers write and an operator answers and acts through the desk's bridge while
// the cycle's faults hit; then everything is healed, the outbox drains, and the server and the desk
// are checked for this cycle's chats.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiMessage } from '../../common/api';
import { BridgeError, type BridgeClient, type OutboxEntryView } from '../../common/bridge';
import { checkStream, heldBeforeOpening, historyAgrees, rowAgrees, strangers, untilQuiet, type ServerReader, type Written } from './checks';
import { deliver } from './customers';
import type { DeskChild, ServerChild } from './children';
import type { Faults } from './faults';
import type { ConversationPlan, CyclePlan } from './plan';

/** The operator the desk's admin transfers chats to (the demo's moderator of sources 1 and 2). */
const TRANSFER_TARGET = 2;
/** No such user: the server refuses the transfer with a 422, and the outbox must keep it as failed. */
const NOBODY = 999_999;
const ADMIN_ID = 1;
/** How long a healed cycle may take to become consistent before that counts as a finding. */
const QUIESCENCE_MS = 45_000;
/** How long the desk may take to catch up by itself after a cycle (it polls every second while realtime is down). */
const QUIET_WAIT_MS = 10_000;
/** A little more than pusher-js takes to notice that a socket died (it then reconnects and catches up). */
export const SOCKET_NOTICE_MS = 1500;

export interface CycleParts {
  server: ServerChild;
  desk: DeskChild;
  reader: ServerReader;
  faults: Faults;
}

/** What a conversation wrote and where, for the checks (also kept for the final check of the run). */
export interface ConversationRecord {
  label: string;
  externalUserId: string;
  prefix: string;
  customer: Written[];
  operator: Written[];
  /** Every chat the customer's messages went to (a message after the close starts a new chat). */
  chatIds: Set<number>;
  /** The chat the operator worked in (the first one). */
  operatorChatId: number | null;
  /** Transfers to nobody queued on purpose (a 422 each), and whether each was acknowledged. */
  provoked: boolean[];
  actions: number;
}

export interface CycleResult {
  problems: string[];
  conversations: ConversationRecord[];
}

/** The bridge request was taken by an engine that died before answering: it may or may not be queued. */
function lostWithEngine(error: unknown): boolean {
  return error instanceof BridgeError && error.code === 'server' && /engine stopped/.test(error.message);
}

async function customerSide(serverUrl: string, plan: ConversationPlan, record: ConversationRecord, firstDelivered: () => void): Promise<void> {
  for (const [index, pause] of plan.customerPausesMs.entries()) {
    await sleep(pause);
    const text = `${record.prefix} customer #${index}`;
    const delivered = await deliver(serverUrl, {
      external_user_id: record.externalUserId,
      text,
      external_message_id: `${record.prefix}-c${index}`,
      ...(index === 0 ? { user_metadata: { name: `Soak ${record.label}` } } : {}),
    });
    record.customer.push({ text, certain: true });
    record.chatIds.add(delivered.chatId);
    if (index === 0) {
      record.operatorChatId = delivered.chatId;
      firstDelivered();
    }
  }
}

/** Waits until the desk lists the chat (requests wait while the engine is down; a dying engine's answer is asked again). */
async function deskHasChat(client: BridgeClient, chatId: number): Promise<boolean> {
  const deadline = Date.now() + QUIESCENCE_MS;
  while (Date.now() < deadline) {
    try {
      if ((await client.invoke('chats.get', { chatId })).chat) return true;
    } catch (error) {
      if (!lostWithEngine(error)) throw error;
    }
    await sleep(50);
  }
  return false;
}

async function operatorSide(client: BridgeClient, plan: ConversationPlan, record: ConversationRecord, firstDelivered: Promise<void>, problems: string[]): Promise<void> {
  await firstDelivered;
  const chatId = record.operatorChatId;
  if (chatId === null) return;
  if (!(await deskHasChat(client, chatId))) {
    problems.push(`${record.label}: chat ${chatId} never appeared on the desk`);
    return;
  }
  // Who the chat is assigned to once the queued actions so far are done: keeps each transfer valid.
  let assignee: number | null = null;
  let sends = 0;
  const steps = [...plan.operator.map((step) => ({ ...step })), ...(plan.closeAtEnd ? [{ kind: 'close' as const, pauseMs: 0 }] : [])];
  for (const step of steps) {
    await sleep(step.pauseMs);
    const kind = step.kind === 'transfer' && assignee === TRANSFER_TARGET ? 'assign-me' : step.kind;
    try {
      switch (kind) {
        case 'send': {
          const written: Written = { text: `${record.prefix} operator #${sends++}`, certain: false };
          record.operator.push(written);
          await client.invoke('chat.send', { chatId, text: written.text });
          written.certain = true;
          assignee ??= ADMIN_ID;
          break;
        }
        case 'mark-read':
          await client.invoke('chat.markRead', { chatId });
          break;
        case 'assign-me':
          record.actions++;
          await client.invoke('chat.assignMe', { chatId });
          assignee = ADMIN_ID;
          break;
        case 'transfer':
          record.actions++;
          await client.invoke('chat.transfer', { chatId, assignedTo: TRANSFER_TARGET, note: `soak ${record.label}` });
          assignee = TRANSFER_TARGET;
          break;
        case 'transfer-invalid':
          record.actions++;
          record.provoked.push(false);
          await client.invoke('chat.transfer', { chatId, assignedTo: NOBODY });
          record.provoked[record.provoked.length - 1] = true;
          break;
        case 'close':
          record.actions++;
          await client.invoke('chat.close', { chatId });
          break;
        default: {
          const unreachable: never = kind;
          throw new Error(`unknown step ${String(unreachable)}`);
        }
      }
    } catch (error) {
      if (!lostWithEngine(error)) {
        problems.push(`${record.label}: the desk refused ${kind} on chat ${chatId}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      // The engine died with the request: the model of the assignee may be off, so stop transferring.
      if (kind === 'transfer' || kind === 'assign-me') return;
    }
  }
}

/** Entries of these chats left in the outbox that are not the refusals provoked on purpose. */
function unexpectedEntries(entries: OutboxEntryView[], records: ConversationRecord[]): { stuck: OutboxEntryView[]; provoked: OutboxEntryView[] } {
  const byChat = new Map(records.filter((record) => record.operatorChatId !== null).map((record) => [record.operatorChatId, record]));
  const stuck: OutboxEntryView[] = [];
  const provoked: OutboxEntryView[] = [];
  for (const entry of entries) {
    const record = byChat.get(entry.chatId);
    if (!record) continue;
    const isProvoked = entry.state === 'failed' && entry.kind === 'transfer' && entry.errorStatus === 422 && entry.assignedTo === NOBODY;
    (isProvoked ? provoked : stuck).push(entry);
  }
  return { stuck, provoked };
}

/** Waits for this cycle's outbox entries to be sent or refused as provoked; then discards the provoked ones. */
async function drainOutbox(client: BridgeClient, records: ConversationRecord[]): Promise<string[]> {
  const deadline = Date.now() + QUIESCENCE_MS;
  let left = unexpectedEntries((await client.invoke('outbox.list', {})).entries, records);
  while (left.stuck.length > 0 && Date.now() < deadline) {
    await sleep(100);
    left = unexpectedEntries((await client.invoke('outbox.list', {})).entries, records);
  }
  const problems = left.stuck.map(
    (entry) => `outbox: ${entry.kind} on chat ${entry.chatId} is still ${entry.state} after ${QUIESCENCE_MS / 1000} s (attempts ${entry.attempts}${entry.error ? `, ${entry.errorStatus ?? ''} ${entry.error}` : ''})`,
  );
  for (const record of records) {
    const failed = left.provoked.filter((entry) => entry.chatId === record.operatorChatId).length;
    const acknowledged = record.provoked.filter(Boolean).length;
    if (failed < acknowledged || failed > record.provoked.length) {
      problems.push(`outbox: chat ${record.operatorChatId} has ${failed} failed transfers to nobody, ${acknowledged}–${record.provoked.length} were queued`);
    }
  }
  for (const entry of left.provoked) await client.invoke('outbox.discard', { id: entry.id });
  return problems;
}

/** The server's messages of a conversation's chats, and whether its streams are there once each, in order. */
async function checkServer(reader: ServerReader, record: ConversationRecord): Promise<string[]> {
  const messagesByChat = new Map<number, ApiMessage[]>();
  for (const chatId of record.chatIds) messagesByChat.set(chatId, await reader.history(chatId));
  const operatorChat = new Map([...messagesByChat].filter(([chatId]) => chatId === record.operatorChatId));
  const written = new Set([...record.customer, ...record.operator].map((item) => item.text));
  return [
    ...checkStream(`${record.label} customer`, record.customer, messagesByChat, record.chatIds),
    ...checkStream(`${record.label} operator`, record.operator, operatorChat, new Set(record.operatorChatId === null ? [] : [record.operatorChatId])),
    ...strangers(record.prefix, written, messagesByChat),
  ];
}

/**
 * Checks one conversation on the server and on the desk: the server's copy, the desk's list row of
 * each chat, and what the desk shows when the chat is opened. With `beforeOpening` (the engine is
 * quiet), a chat that is not closed is first asked whether it held its messages before it was opened
 * (opening fetches what it lacked; closed chats nobody looked at are fetched then by design).
 */
export async function checkConversation(parts: Pick<CycleParts, 'reader' | 'desk'>, record: ConversationRecord, beforeOpening: boolean): Promise<string[]> {
  const { reader, desk } = parts;
  const problems = await checkServer(reader, record);
  const deadline = Date.now() + QUIESCENCE_MS;
  for (const chatId of record.chatIds) {
    const expected = await reader.history(chatId);
    const rows = await rowAgrees(desk, chatId, expected, deadline);
    problems.push(...rows);
    if (rows.length > 0) continue;
    if (beforeOpening && (await reader.chat(chatId)).status !== 'closed') problems.push(...(await heldBeforeOpening(desk, chatId, expected)));
    problems.push(...(await historyAgrees(desk, chatId, expected, deadline)));
  }
  return problems;
}

export async function runCycle(parts: CycleParts, plan: CyclePlan, label: string): Promise<CycleResult> {
  const problems: string[] = [];
  const records: ConversationRecord[] = plan.conversations.map((_, index) => ({
    label: `${label}.${index}`,
    externalUserId: `${label}-${index}`,
    prefix: `${label}.${index}`,
    customer: [],
    operator: [],
    chatIds: new Set(),
    operatorChatId: null,
    provoked: [],
    actions: 0,
  }));
  const traffic = plan.conversations.map(async (conversation, index) => {
    const record = records[index];
    if (!record) return;
    let markDelivered: () => void = () => undefined;
    const firstDelivered = new Promise<void>((resolve) => (markDelivered = resolve));
    const customer = customerSide(parts.server.url, conversation, record, markDelivered).catch((error: unknown) => {
      problems.push(`${record.label}: ${error instanceof Error ? error.message : String(error)}`);
      markDelivered();
    });
    await Promise.all([customer, operatorSide(parts.desk.client, conversation, record, firstDelivered, problems)]);
  });
  const faults = plan.faults.map((fault) => parts.faults.run(fault));
  const outcomes = await Promise.allSettled([...faults, ...traffic]);
  for (const outcome of outcomes) if (outcome.status === 'rejected') problems.push(`cycle: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`);

  await parts.faults.healAll();
  const healedAt = Date.now();
  problems.push(...(await drainOutbox(parts.desk.client, records)));
  // Everything of this cycle is on the server now: the desk must catch up with it by itself, through
  // realtime or a catch-up (the engine polls while realtime is down), before anyone opens a chat.
  const socketsBroke = plan.faults.some((fault) => fault.kind === 'cut' || fault.kind === 'cut-503' || fault.kind === 'server-kill');
  const quiet = await untilQuiet(parts.desk, Date.now(), socketsBroke ? healedAt + SOCKET_NOTICE_MS : 0, QUIET_WAIT_MS);
  if (!quiet) problems.push(`desk: not caught up by itself ${QUIET_WAIT_MS / 1000} s after the cycle (no catch-up since, and realtime not live)`);
  for (const record of records) problems.push(...(await checkConversation(parts, record, quiet)));
  return { problems, conversations: records };
}
