// What the soak checks once a cycle's faults are healed: every message it wrote is on the server
// exactly once and in the order written, and the desk's cache holds exactly the server's messages
// of each chat (nothing lost, nothing doubled, nothing left pending).
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiChat, ApiMessage, ChatListResponse } from '../../common/api';
import type { BridgeClient, MessageView } from '../../common/bridge';

/** The v1 API as the admin, straight to the server (not through the fault proxy). */
export class ServerReader {
  constructor(
    private readonly serverUrl: string,
    private readonly token: string,
  ) {}

  static async login(serverUrl: string): Promise<ServerReader> {
    const response = await fetch(`${serverUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: 'password', device_name: 'soak checker' }),
    });
    if (response.status !== 200) throw new Error(`the checker cannot sign in: ${response.status} ${await response.text()}`);
    const { data } = (await response.json()) as { data: { token: string } };
    return new ServerReader(serverUrl, data.token);
  }

  private async get<T>(path: string): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(`${this.serverUrl}/api/v1${path}`, { headers: { Accept: 'application/json', Authorization: `Bearer ${this.token}` } });
        if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
        return (await response.json()) as T;
      } catch (error) {
        // The server was just restarted: its first answers may take a moment.
        if (attempt >= 20) throw error;
        await sleep(100);
      }
    }
  }

  async chat(chatId: number): Promise<ApiChat> {
    return (await this.get<{ data: ApiChat }>(`/chats/${chatId}`)).data;
  }

  /** Every message of a chat, oldest first (walking `before_id`). */
  async history(chatId: number): Promise<ApiMessage[]> {
    const all: ApiMessage[] = [];
    let before: number | undefined;
    for (;;) {
      const query = before === undefined ? 'limit=100' : `limit=100&before_id=${before}`;
      const page = (await this.get<{ data: ApiMessage[] }>(`/chats/${chatId}/messages?${query}`)).data;
      all.push(...page);
      if (page.length < 100) break;
      before = page.at(-1)?.id;
    }
    return all.reverse();
  }

  /** Every chat whose customer id starts with `prefix`, over all pages and statuses. */
  async chatsOf(prefix: string): Promise<ApiChat[]> {
    const found: ApiChat[] = [];
    for (let page = 1; ; page++) {
      const response = await this.get<ChatListResponse>(`/chats?tab=all&per_page=100&page=${page}`);
      found.push(...response.data.filter((chat) => chat.external_user_id.startsWith(prefix)));
      if (page >= response.meta.last_page || response.data.length === 0) return found;
    }
  }
}

/** A message the soak wrote, in the order it was written within its stream (a customer, or an operator's chat). */
export interface Written {
  text: string;
  /** False when the process that took it died before answering: it may exist once, or not at all. */
  certain: boolean;
}

/**
 * Checks one stream of written messages against the server: each certain one exactly once, an
 * uncertain one at most once, all in the order written, and only in `chatIds`.
 */
export function checkStream(label: string, written: Written[], messagesByChat: Map<number, ApiMessage[]>, chatIds: ReadonlySet<number>): string[] {
  const problems: string[] = [];
  const found = new Map<string, { chatId: number; id: number }[]>();
  for (const [chatId, messages] of messagesByChat) {
    for (const message of messages) {
      if (message.text === null) continue;
      const list = found.get(message.text) ?? [];
      list.push({ chatId, id: message.id });
      found.set(message.text, list);
    }
  }
  let previous: { text: string; id: number } | null = null;
  for (const item of written) {
    const copies = found.get(item.text) ?? [];
    if (copies.length > 1) problems.push(`${label}: "${item.text}" is on the server ${copies.length} times (${copies.map((copy) => `#${copy.id} in chat ${copy.chatId}`).join(', ')})`);
    if (copies.length === 0 && item.certain) problems.push(`${label}: "${item.text}" was lost (acknowledged, but not on the server)`);
    const copy = copies[0];
    if (!copy) continue;
    if (!chatIds.has(copy.chatId)) problems.push(`${label}: "${item.text}" landed in chat ${copy.chatId}, not in ${[...chatIds].join('/')}`);
    if (previous && copy.id < previous.id) problems.push(`${label}: "${item.text}" (#${copy.id}) is before "${previous.text}" (#${previous.id}), written earlier`);
    previous = { text: item.text, id: copy.id };
  }
  return problems;
}

/** Texts in these chats that start with `prefix` but nobody wrote (a message made up or replayed). */
export function strangers(prefix: string, written: ReadonlySet<string>, messagesByChat: Map<number, ApiMessage[]>): string[] {
  const problems: string[] = [];
  for (const [chatId, messages] of messagesByChat) {
    for (const message of messages) {
      if (message.text?.startsWith(prefix) && !written.has(message.text)) problems.push(`chat ${chatId}: "${message.text}" (#${message.id}) was never written`);
    }
  }
  return problems;
}

/** Compares what the desk shows for a chat with the server's messages; empty when they agree. */
export function compareDesk(chatId: number, server: ApiMessage[], desk: MessageView[]): string[] {
  const problems: string[] = [];
  const deskIds = desk.map((message) => message.id);
  const keys = new Set<string>();
  for (const message of desk) {
    if (keys.has(message.key)) problems.push(`desk, chat ${chatId}: message ${message.key} ("${message.text}") is shown twice`);
    keys.add(message.key);
    if (message.state !== 'sent') problems.push(`desk, chat ${chatId}: "${message.text}" is still ${message.state}${message.error ? ` (${message.error})` : ''}`);
  }
  const serverIds = server.map((message) => message.id);
  const missing = server.filter((message) => !deskIds.includes(message.id));
  const extra = desk.filter((message) => message.id > 0 && !serverIds.includes(message.id));
  for (const message of missing) problems.push(`desk, chat ${chatId}: "${message.text}" (#${message.id}) is missing from the desk`);
  for (const message of extra) problems.push(`desk, chat ${chatId}: "${message.text}" (#${message.id}) is on the desk but not on the server`);
  if (problems.length === 0 && deskIds.join(',') !== serverIds.join(',')) problems.push(`desk, chat ${chatId}: the order differs from the server's (${deskIds.join(',')} vs ${serverIds.join(',')})`);
  return problems;
}

/**
 * Everything the desk shows for a chat, oldest first: open it, then page older until it says there is
 * no more. (A chat first seen through realtime may say "older" once before it has asked the server.)
 */
async function deskHistory(client: BridgeClient, chatId: number): Promise<MessageView[]> {
  const opened = await client.invoke('chat.open', { chatId, limit: 50 });
  try {
    let messages = opened.messages;
    let hasOlder = opened.hasOlder;
    for (let pages = 0; hasOlder; pages++) {
      const oldest = messages.find((message) => message.id > 0);
      if (!oldest || pages > 1000) break;
      const page = await client.invoke('chat.loadOlder', { chatId, beforeId: oldest.id, limit: 50 });
      messages = [...page.messages, ...messages];
      hasOlder = page.hasOlder;
      if (page.messages.length === 0 && hasOlder) throw new Error(`desk, chat ${chatId}: loadOlder says there is more but gives nothing`);
    }
    return messages;
  } finally {
    await client.invoke('chat.leave', { chatId });
  }
}

/** The desk's side of the soak: the bridge, and whether the engine has finished what it started by itself. */
export interface DeskView {
  client: BridgeClient;
  quiet(since: number): Promise<boolean>;
}

/** Waits until the desk's list row of a chat names the server's newest message (the list is current without opening the chat). */
export async function rowAgrees(desk: DeskView, chatId: number, expected: ApiMessage[], deadline: number): Promise<string[]> {
  const newest = expected.at(-1)?.id ?? null;
  for (;;) {
    const row = (await desk.client.invoke('chats.get', { chatId })).chat;
    let problems: string[] = [];
    if (!row) problems = [`desk: chat ${chatId} is not in the desk's list`];
    else if ((row.lastMessage?.id ?? null) !== newest) problems = [`desk: the list row of chat ${chatId} shows message #${row.lastMessage?.id ?? 'none'}, the server's newest is #${newest ?? 'none'}`];
    if (problems.length === 0 || Date.now() > deadline) return problems;
    await sleep(100);
  }
}

/**
 * Before anyone opens it (opening fetches the newest page), a chat that is not closed must already
 * hold its messages: realtime and catch-up bring them, or notifications and offline reading miss them.
 * (Closed chats nobody looked at are fetched when opened, by design.) Asked once, when the engine is quiet.
 */
export async function heldBeforeOpening(desk: DeskView, chatId: number, expected: ApiMessage[]): Promise<string[]> {
  const cached = new Set((await desk.client.invoke('chat.open', { chatId, limit: 50 })).messages.map((message) => message.id));
  await desk.client.invoke('chat.leave', { chatId });
  return expected
    .slice(-50)
    .filter((message) => !cached.has(message.id))
    .map((message) => `desk, chat ${chatId}: "${message.text}" (#${message.id}) was not on the desk until the chat was opened`);
}

/** Waits until what the desk shows for a chat, paging to its start, is exactly the server's messages. */
export async function historyAgrees(desk: DeskView, chatId: number, expected: ApiMessage[], deadline: number): Promise<string[]> {
  for (;;) {
    const problems = compareDesk(chatId, expected, await deskHistory(desk.client, chatId));
    if (problems.length === 0 || Date.now() > deadline) return problems;
    await sleep(100);
  }
}

/**
 * Waits until the engine is quiet and caught up with everything written until `since`. `notBefore`:
 * not before then either (after a cut or a server restart pusher-js takes about a second to notice the
 * dead socket, and the engine counts as live meanwhile; once it notices, it reconnects and catches up).
 */
export async function untilQuiet(desk: DeskView, since: number, notBefore: number, deadlineMs: number): Promise<boolean> {
  const deadline = Date.now() + deadlineMs;
  if (notBefore > Date.now()) await sleep(notBefore - Date.now());
  while (!(await desk.quiet(since))) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}
