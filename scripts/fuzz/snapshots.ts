import type { Fixtures } from './fixtures';
import type { Snapshot } from './routes';
import type { WireClient } from './wire';

// "A refused request changed nothing", where the API shows it cheaply: the chat a request named (and
// its newest message), the newest chat of the list with the totals, the canned responses. Read as an
// admin before the request and again after a 4xx; any difference is a finding.

async function adminGet(client: WireClient, fixtures: Fixtures, path: string): Promise<unknown> {
  const outcome = await client.send({ method: 'GET', path, headers: [['Accept', 'application/json'], ['Authorization', `Bearer ${fixtures.tokens.admin}`]] });
  if (outcome.kind !== 'answer' || outcome.answer.status !== 200) return undefined;
  try {
    const body: unknown = JSON.parse(outcome.answer.body.toString());
    return typeof body === 'object' && body !== null ? body : undefined;
  } catch {
    return undefined;
  }
}

const get = (value: unknown, key: string): unknown => (typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined);

/** What the API shows of `kind` now, as comparable text; undefined when it cannot be read. */
export async function takeSnapshot(client: WireClient, fixtures: Fixtures, kind: Snapshot, chatId: number | undefined): Promise<string | undefined> {
  switch (kind) {
    case 'chat': {
      if (chatId === undefined) return undefined;
      const chat = await adminGet(client, fixtures, `/api/v1/chats/${chatId}`);
      const messages = await adminGet(client, fixtures, `/api/v1/chats/${chatId}/messages?limit=1`);
      if (chat === undefined || messages === undefined) return undefined;
      return JSON.stringify({ chat: get(chat, 'data'), newest: get(get(messages, 'data'), '0') });
    }
    case 'chat-list': {
      const page = await adminGet(client, fixtures, '/api/v1/chats?per_page=1');
      if (page === undefined) return undefined;
      return JSON.stringify({ total: get(get(page, 'meta'), 'total'), counts: get(get(page, 'meta'), 'counts'), newest: get(get(page, 'data'), '0') });
    }
    case 'canned': {
      const list = await adminGet(client, fixtures, '/api/v1/canned-responses?include_inactive=1');
      return list === undefined ? undefined : JSON.stringify(get(list, 'data'));
    }
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown snapshot ${String(unreachable)}`);
    }
  }
}

/** Where two snapshots part, for the report. */
export function difference(before: string, after: string): string {
  let at = 0;
  while (at < before.length && before[at] === after[at]) at++;
  const from = Math.max(0, at - 60);
  return `before …${before.slice(from, at + 120)}… after …${after.slice(from, at + 120)}…`;
}
