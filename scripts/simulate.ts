// Customer traffic for trying the desk: posts realistic Russian, Polish and English customer messages
// through the signed source webhook (`POST /api/v1/webhooks/sources/{id}`), continuing some
// conversations and starting new ones, and prints what it sent.
//
//   npm run simulate -- --url http://127.0.0.1:8080 [--source 1] [--secret demo-webhook-secret]
//                       [--interval 3000] [--count N]
//
// Stops after --count messages, or on Ctrl+C.

import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { webhookHeaders } from '../server/dialects/v1/webhook-signature';

const USAGE = `Usage: npm run simulate -- --url http://127.0.0.1:8080 [--source 1] [--secret demo-webhook-secret] [--interval 3000] [--count N]

  --url       the Switchboard server (default http://127.0.0.1:8080)
  --source    post to this source only (default: the three demo sources 1, 2 and 3)
  --secret    the source's webhook secret (default: the demo's, demo-webhook-secret)
  --interval  milliseconds between messages, varied by ±30% (default 3000)
  --count     stop after this many messages (default: until Ctrl+C)`;

/** The demo's sources (server/demo/seed.ts); any other id is shown by number. */
const SOURCE_NAMES: Record<number, { name: string; prefix: string }> = {
  1: { name: 'Website', prefix: 'web-sim-' },
  2: { name: 'Telegram', prefix: 'tg-sim-' },
  3: { name: 'VK', prefix: 'vk_sim' },
};

interface Persona {
  name: string;
  email?: string;
  phone?: string;
  language: 'ru' | 'pl' | 'en';
  lines: string[];
  /** Sends a screenshot (a small PNG) with this line, counting from 0. */
  screenshotAt?: number;
}

const PERSONAS: Persona[] = [
  { name: 'Ирина Соколова', email: 'irina.sokolova@example.ru', language: 'ru', screenshotAt: 1,
    lines: ['Здравствуйте! Не проходит оплата картой, пишет «операция отклонена».', 'Вот скриншот ошибки.', 'Карта Мир, деньги на ней есть.', 'Попробовала другую карту — то же самое.', 'Спасибо, жду.'] },
  { name: 'Дмитрий', phone: '+7 921 555 44 33', language: 'ru',
    lines: ['Добрый день, где мой заказ? Номер 51877.', 'Трек-номер не обновляется уже три дня.', 'Можно ли сменить адрес доставки?', 'Хорошо, понял.'] },
  { name: 'Алексей Морозов', email: 'a.morozov@example.ru', language: 'ru',
    lines: ['Подскажите, есть ли у вас тариф для команды из 10 человек?', 'А годовая оплата даёт скидку?', 'Нужен счёт на юрлицо, ООО «Вектор».'] },
  { name: 'Наталья', language: 'ru',
    lines: ['Не приходит письмо для сброса пароля.', 'Папку «Спам» проверила, там тоже нет.', 'Почта natasha.k@example.ru'] },
  { name: 'Katarzyna Wiśniewska', email: 'k.wisniewska@example.pl', language: 'pl',
    lines: ['Dzień dobry, zamówiłam kurtkę w rozmiarze M, a przyszła L.', 'Czy mogę ją wymienić?', 'Numer zamówienia: PL-20931.', 'Dziękuję za pomoc!'] },
  { name: 'Piotr Zając', phone: '+48 602 111 222', language: 'pl', screenshotAt: 0,
    lines: ['Aplikacja wyrzuca błąd przy logowaniu, zrzut ekranu w załączniku.', 'Mam Androida 14, wersja aplikacji 3.2.1.', 'Po reinstalacji nadal to samo.'] },
  { name: 'Agnieszka', language: 'pl',
    lines: ['Cześć, czy wysyłacie do Czech?', 'A ile kosztuje dostawa?', 'Super, to zamawiam.'] },
  { name: 'Marek Nowicki', email: 'marek.nowicki@example.pl', language: 'pl',
    lines: ['Potrzebuję faktury VAT na firmę, NIP 5252000000.', 'Faktura ma błędny adres, proszę o korektę.'] },
  { name: 'Emily Clarke', email: 'emily.clarke@example.com', language: 'en',
    lines: ['Hi! I was charged twice for my subscription this month.', 'Both charges are on the 3rd, same amount.', 'Could you refund one of them?', 'Thanks, that was quick!'] },
  { name: 'James O’Connor', phone: '+353 85 123 4567', language: 'en', screenshotAt: 1,
    lines: ['Hello, the export to Excel produces an empty file.', 'Here is what I see after downloading.', 'It worked fine last week.'] },
  { name: 'Priya Sharma', email: 'priya@example.in', language: 'en',
    lines: ['Do you offer a discount for non-profits?', 'We are a registered charity with 12 volunteers.', 'Great, where do I send the documents?'] },
  { name: 'Visitor 4821', language: 'en',
    lines: ['Is anyone there?', 'I just want to know your opening hours on Saturday.'] },
];

/** A 1×1 PNG, so "screenshots" arrive as real image attachments. */
const SCREENSHOT = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

interface Conversation {
  sourceId: number;
  externalUserId: string;
  persona: Persona;
  next: number;
}

interface Options {
  url: string;
  sources: number[];
  secret: string;
  interval: number;
  count: number | null;
}

function positiveInt(name: string, value: string | undefined, fallback: number | null): number | null {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`--${name} must be a positive whole number, not "${value}"`);
  return Number(value);
}

function options(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      source: { type: 'string' },
      secret: { type: 'string', default: 'demo-webhook-secret' },
      interval: { type: 'string' },
      count: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new Error(`--url must be a URL like http://127.0.0.1:8080, not "${values.url}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('--url must be http:// or https://');
  const source = positiveInt('source', values.source, null);
  return {
    url: url.toString().replace(/\/+$/, ''),
    sources: source === null ? [1, 2, 3] : [source],
    secret: values.secret,
    interval: positiveInt('interval', values.interval, 3000) ?? 3000,
    count: positiveInt('count', values.count, null),
  };
}

function pick<T>(items: readonly T[]): T {
  const item = items[randomInt(items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function sourceLabel(sourceId: number): string {
  return SOURCE_NAMES[sourceId]?.name ?? `source ${sourceId}`;
}

/** Continue a conversation that has more to say (60% of the time), or start a new one. */
function nextConversation(open: Conversation[], sources: number[]): Conversation {
  const ongoing = open.filter((c) => c.next < c.persona.lines.length);
  if (ongoing.length > 0 && (randomInt(10) < 6 || ongoing.length >= 6)) return pick(ongoing);
  const sourceId = pick(sources);
  const conversation: Conversation = {
    sourceId,
    externalUserId: `${SOURCE_NAMES[sourceId]?.prefix ?? `src${sourceId}-sim-`}${randomInt(10_000, 99_999)}`,
    persona: pick(PERSONAS),
    next: 0,
  };
  open.push(conversation);
  return conversation;
}

function describeOutcome(status: number, body: unknown): string {
  switch (status) {
    case 201:
      return 'stored';
    case 200:
      return 'already stored (duplicate)';
    case 401:
      return 'refused: bad signature — check --secret';
    case 404:
      return 'refused: no such source — check --source';
    case 413:
      return 'refused: too large';
    case 422:
      return `refused: ${typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : 'invalid'}`;
    case 429:
      return 'refused: rate limited';
    default:
      return `server answered ${status}`;
  }
}

async function post(opts: Options, conversation: Conversation): Promise<string> {
  const { persona } = conversation;
  const text = persona.lines[conversation.next] ?? '';
  const metadata: Record<string, string> = { name: persona.name, language: persona.language };
  if (persona.email) metadata.email = persona.email;
  if (persona.phone) metadata.phone = persona.phone;
  const body = {
    external_user_id: conversation.externalUserId,
    // Only the first message introduces the customer, as a channel would.
    ...(conversation.next === 0 ? { user_metadata: metadata } : {}),
    text,
    external_message_id: `sim-${randomUUID()}`,
    ...(persona.screenshotAt === conversation.next
      ? { attachments: [{ name: `screenshot-${conversation.next + 1}.png`, mime_type: 'image/png', content_base64: SCREENSHOT }] }
      : {}),
  };
  const raw = JSON.stringify(body);
  const response = await fetch(`${opts.url}/api/v1/webhooks/sources/${conversation.sourceId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...webhookHeaders(opts.secret, raw) },
    body: raw,
  });
  const answer = await response.text();
  let parsed: unknown = answer;
  try {
    parsed = JSON.parse(answer);
  } catch {
    // Not JSON: keep the text for the message below.
  }
  const chatId =
    typeof parsed === 'object' && parsed !== null && 'data' in parsed && typeof parsed.data === 'object' && parsed.data !== null && 'chat_id' in parsed.data
      ? ` chat #${String(parsed.data.chat_id)}`
      : '';
  if (response.ok) conversation.next++;
  const attachment = 'attachments' in body ? ' [+ screenshot.png]' : '';
  return `${sourceLabel(conversation.sourceId)} ${conversation.externalUserId} (${persona.name}):${chatId} "${text}"${attachment} → ${describeOutcome(response.status, parsed)}`;
}

async function main(): Promise<void> {
  let opts: Options | 'help';
  try {
    opts = options(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (opts === 'help') {
    console.log(USAGE);
    return;
  }
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());

  console.log(
    `simulating customers on ${opts.sources.map(sourceLabel).join(', ')} at ${opts.url}, a message every ~${opts.interval} ms` +
      `${opts.count === null ? ' until Ctrl+C' : `, ${opts.count} in all`}`,
  );
  const open: Conversation[] = [];
  let sent = 0;
  let failures = 0;
  while (!stop.signal.aborted && (opts.count === null || sent < opts.count)) {
    const conversation = nextConversation(open, opts.sources);
    const time = new Date().toLocaleTimeString('en-GB');
    try {
      console.log(`[${time}] ${await post(opts, conversation)}`);
      failures = 0;
    } catch (error) {
      failures++;
      const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      console.log(`[${time}] could not reach ${opts.url} (${reason}); retrying`);
    }
    sent++;
    // Forget finished conversations now and then, so the set of customers keeps changing.
    for (let i = open.length - 1; i >= 0; i--) if ((open[i]?.next ?? 0) >= (open[i]?.persona.lines.length ?? 0)) open.splice(i, 1);
    if (opts.count !== null && sent >= opts.count) break;
    const jitter = opts.interval * (0.7 + Math.random() * 0.6);
    // Back off while the server is unreachable, up to 30 s.
    const wait = failures > 0 ? Math.min(30_000, opts.interval * 2 ** failures) : jitter;
    await sleep(wait, undefined, { signal: stop.signal }).catch(() => undefined);
  }
  console.log(`stopped after ${sent} message${sent === 1 ? '' : 's'}`);
}

await main();
