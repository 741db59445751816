import type { ChatStatus, SenderType } from '../../common/api';
import { hashPasswordSync } from '../auth/passwords';
import { generatePublicToken } from '../domain/public-tokens';
import { DEFAULT_WIDGET_SETTINGS, type WidgetSettings } from '../domain/widget-settings';
import type { Store, StoreQueries } from '../store/contract';

export const DEMO_PASSWORD = 'password';
export const DEMO_WEBHOOK_SECRET = 'demo-webhook-secret';
/** The demo website widget's public token (its embed snippet's `data-token`). */
export const DEMO_WIDGET_TOKEN = 'demo-widget-token';

type DemoUser = 'admin' | 'mod' | 'mod2' | 'employee';

interface DemoChat {
  source: 1 | 2 | 3 | 4;
  department: 1 | 2 | null;
  external: string;
  metadata: Record<string, string>;
  status: ChatStatus;
  assignee: DemoUser | null;
  urgent?: boolean;
  /** A chat an operator opened (the legacy `POST /api/chats`): who, and its title, description and type. */
  created?: { by: DemoUser; title: string; description: string; type: 'support' | 'sales' | 'general' };
  /** [sender, text]; operator lines are written by the assignee, else by whoever created the chat. */
  lines: [SenderType, string][];
  /**
   * Minutes ago the chat started, for chats added after the first 22: they sit inside the timeline,
   * so the newest chats (and their ids) stay what desks and tests have long opened first.
   */
  startedMinutesAgo?: number;
}

const CHATS: DemoChat[] = [
  { source: 1, department: 1, external: 'web-7f3a', metadata: { name: 'Анна Петрова', email: 'anna.petrova@example.ru' }, status: 'new', assignee: null, urgent: true,
    lines: [['client', 'Здравствуйте! Не могу оплатить заказ картой, выдаёт ошибку 3DS.'], ['client', 'Заказ № 48213, очень срочно, сегодня последний день акции.']] },
  { source: 1, department: 2, external: 'web-19c2', metadata: { name: 'Tomasz Nowak', email: 'tomasz.nowak@example.pl', phone: '+48 601 234 567' }, status: 'active', assignee: 'mod',
    lines: [['client', 'Dzień dobry, czy macie wersję roczną planu Business?'], ['operator', 'Dzień dobry! Tak, plan roczny jest o 20% tańszy. Wysłać ofertę?'], ['client', 'Poproszę, na adres z profilu.']] },
  { source: 1, department: 1, external: 'web-a01b', metadata: { name: 'Emily Carter', email: 'emily@example.com' }, status: 'active', assignee: 'admin',
    lines: [['client', 'Hi, the export to CSV keeps timing out for our workspace.'], ['operator', 'Thanks Emily, how many rows does the export have roughly?'], ['client', 'Around 400k.'], ['operator', 'That explains it — I have started a background export, you will get an email link.']] },
  { source: 2, department: 1, external: 'tg-55012', metadata: { name: 'Дмитрий', phone: '+7 916 555 01 12' }, status: 'new', assignee: null,
    lines: [['client', 'Добрый вечер. Бот не присылает код подтверждения.']] },
  { source: 2, department: null, external: 'tg-77431', metadata: { name: 'Katarzyna W.' }, status: 'pending', assignee: 'mod',
    lines: [['client', 'Cześć, zamówienie nie dotarło od tygodnia.'], ['operator', 'Sprawdzam u przewoźnika, wrócę z informacją do jutra.']] },
  { source: 2, department: 2, external: 'tg-90001', metadata: { name: 'Oliver Smith' }, status: 'closed', assignee: 'mod',
    lines: [['client', 'Do you ship to Ireland?'], ['operator', 'Yes, 3–5 business days, free over €50.'], ['client', 'Great, thanks!']] },
  { source: 3, department: 1, external: 'vk_123', metadata: { name: 'Клиент ВК' }, status: 'active', assignee: 'mod2',
    lines: [['client', 'Привет! Как поменять email в аккаунте?'], ['operator', 'Откройте Настройки → Профиль → Email, придёт письмо для подтверждения.']] },
  { source: 3, department: 2, external: 'vk_4410', metadata: { name: 'Ольга Смирнова' }, status: 'new', assignee: null,
    lines: [['client', 'Хочу подключить тариф для команды из 15 человек, какие условия?']] },
  { source: 1, department: null, external: 'web-c3d4', metadata: { name: 'Piotr Zieliński', email: 'piotr.z@example.pl' }, status: 'transferred', assignee: 'mod',
    lines: [['client', 'Faktura VAT ma błędny NIP, proszę o korektę.'], ['operator', 'Przekazuję do działu księgowości.']] },
  { source: 1, department: 1, external: 'web-e5f6', metadata: { name: 'Sophie Martin', email: 'sophie.m@example.com' }, status: 'closed', assignee: 'admin',
    lines: [['client', 'How do I reset two-factor authentication?'], ['operator', 'I have reset it for you; you can enroll again at next login.'], ['client', 'Worked, thank you!']] },
  { source: 2, department: 1, external: 'tg-31337', metadata: { name: 'Алексей' }, status: 'active', assignee: 'mod', urgent: true,
    lines: [['client', 'Сайт не открывается уже полчаса, ошибка 502!'], ['operator', 'Видим проблему, инженеры уже работают.'], ['client', 'Есть новости?']] },
  { source: 3, department: null, external: 'vk_8080', metadata: { name: 'Marek Kowalski' }, status: 'closed', assignee: 'mod2',
    lines: [['client', 'Czy mogę zmienić termin dostawy?'], ['operator', 'Tak, zmieniłem na piątek.']] },
  { source: 1, department: 2, external: 'web-7788', metadata: { name: 'James Wilson', email: 'j.wilson@example.com', phone: '+44 20 7946 0018' }, status: 'new', assignee: null,
    lines: [['client', 'Is there a discount for non-profits?']] },
  { source: 2, department: 2, external: 'tg-20202', metadata: { name: 'Irina' }, status: 'active', assignee: 'admin',
    lines: [['client', 'Можно ли оплатить по счёту для юрлица?'], ['operator', 'Да, пришлите реквизиты компании.'], ['client', 'ИНН 7701234567, ООО «Ромашка».']] },
  { source: 3, department: 1, external: 'vk_5151', metadata: { name: 'Сергей Иванов' }, status: 'pending', assignee: 'mod2',
    lines: [['client', 'Приложение вылетает на Android 14 при открытии чата.'], ['operator', 'Пришлите, пожалуйста, версию приложения и модель телефона.']] },
  { source: 1, department: 1, external: 'web-0a0b', metadata: { name: 'Agnieszka Lewandowska', email: 'aga.l@example.pl' }, status: 'active', assignee: 'mod',
    lines: [['client', 'Nie mogę zalogować się przez Google.'], ['operator', 'Proszę wyczyścić ciasteczka i spróbować ponownie.'], ['client', 'Nadal to samo.']] },
  { source: 2, department: null, external: 'tg-64646', metadata: { name: 'Noah Brown' }, status: 'new', assignee: null,
    lines: [['client', 'Hello? Anyone there? My package says delivered but it is not here.']] },
  { source: 3, department: 2, external: 'vk_2323', metadata: { name: 'Наталья' }, status: 'closed', assignee: 'mod2',
    lines: [['client', 'Спасибо за быструю доставку!'], ['operator', 'Рады помочь, хорошего дня!']] },
  { source: 1, department: null, external: 'web-9999', metadata: { name: 'Visitor 9999' }, status: 'new', assignee: null,
    lines: [['client', 'Do you have an API for order status?']] },
  { source: 2, department: 1, external: 'tg-11111', metadata: { name: 'Michał' }, status: 'closed', assignee: 'admin',
    lines: [['client', 'Jak usunąć konto?'], ['operator', 'Ustawienia → Konto → Usuń konto. Dane usuniemy w ciągu 30 dni.']] },
  { source: 1, department: 2, external: 'web-4242', metadata: { name: 'Мария Кузнецова', email: 'maria.k@example.ru' }, status: 'active', assignee: 'mod',
    lines: [['client', 'Подскажите, есть ли скидка при оплате за год?'], ['operator', 'Да, 20%. Оформить?'], ['client', 'Да, пожалуйста.'], ['operator', 'Готово, счёт отправлен на почту.']] },
  { source: 3, department: 1, external: 'vk_7777', metadata: { name: 'Emma Johnson' }, status: 'new', assignee: null,
    lines: [['client', 'Hi from VK! Can I change my subscription plan mid-month?']] },
  // DESIGN §4: two chats employee@example.com takes part in (the legacy dialect shows them to the employee).
  { source: 1, department: 1, external: 'web-5e6f', metadata: { name: 'Hanna Kowalczyk', email: 'hanna.k@example.pl' }, status: 'active', assignee: 'employee', startedMinutesAgo: 1500,
    lines: [['client', 'Dzień dobry, nie dostałam faktury za luty.'], ['operator', 'Dzień dobry! Sprawdzę to i prześlę fakturę jeszcze dziś.'], ['client', 'Dziękuję bardzo.']] },
  { source: 4, department: 2, external: 'api-chat-0b7c5a52-9e41-4f0a-8c2b-6a1e5f7d9c10', metadata: { name: 'Onboarding Acme Corp' }, status: 'active', assignee: null, startedMinutesAgo: 1300,
    created: { by: 'employee', title: 'Onboarding Acme Corp', description: 'Kick-off and first steps for a new business customer', type: 'sales' },
    lines: [['operator', 'Kick-off call booked for Monday; the agenda is in the shared folder.']] },
];

/** The chats spread over the last two days, one every 97 minutes, the newest last. */
const TIMELINE = CHATS.filter((demo) => demo.startedMinutesAgo === undefined);

/** Demo data of DESIGN §4; only into an empty database, so a restart keeps what people did. */
export async function seedDemo(store: Store, now: number): Promise<boolean> {
  // Nodes booting together on one empty database: one seeds, the others then find users. (Seeding
  // side by side would also shift the ids: PostgreSQL does not give back identity values a rolled-back
  // insert took, and the demo's documented ids are 1, 2, 3….)
  return store.serialized('demo-seed', async () => {
    if ((await store.users.count()) > 0) return false;
    return store.transaction((tx) => seedInto(tx, now));
  });
}

async function seedInto(tx: StoreQueries, now: number): Promise<boolean> {
  {
    const web = await tx.catalog.createSource({ name: 'Website', type: 'widget', webhookSecret: DEMO_WEBHOOK_SECRET, publicToken: DEMO_WIDGET_TOKEN }, now);
    const telegram = await tx.catalog.createSource({ name: 'Telegram', type: 'telegram', webhookSecret: DEMO_WEBHOOK_SECRET }, now);
    const vk = await tx.catalog.createSource({ name: 'VK', type: 'vk', webhookSecret: DEMO_WEBHOOK_SECRET }, now);
    // Where operator-created chats live (the legacy dialect's POST /api/chats).
    const api = await tx.catalog.createSource({ name: 'API', type: 'api', webhookSecret: DEMO_WEBHOOK_SECRET }, now);
    const support = await tx.catalog.createDepartment('Support', now);
    const sales = await tx.catalog.createDepartment('Sales', now);
    // One hash for all four: the demo password is the same, and scrypt is deliberately slow.
    const passwordHash = hashPasswordSync(DEMO_PASSWORD);
    const users = {
      admin: await tx.users.create({ name: 'Admin', email: 'admin@example.com', passwordHash, roles: ['admin'] }, now),
      mod: await tx.users.create({ name: 'Maria Moderator', email: 'mod@example.com', passwordHash, roles: ['moderator'], sourceIds: [web, telegram] }, now),
      mod2: await tx.users.create({ name: 'Wojtek Moderator', email: 'mod2@example.com', passwordHash, roles: ['moderator'], sourceIds: [vk] }, now),
      employee: await tx.users.create({ name: 'Eve Employee', email: 'employee@example.com', passwordHash, roles: ['employee'], sourceIds: [web] }, now),
    };
    const sources = { 1: web, 2: telegram, 3: vk, 4: api } as const;
    const departments = { 1: support, 2: sales } as const;

    for (const [index, demo] of CHATS.entries()) {
      // Spread the chats over the last two days, the newest last, a few minutes between lines.
      const start = demo.startedMinutesAgo === undefined ? now - (TIMELINE.length - index) * 97 * 60_000 : now - demo.startedMinutesAgo * 60_000;
      const assignee = demo.assignee === null ? null : users[demo.assignee];
      const creator = demo.created ? users[demo.created.by] : null;
      const chatId = await tx.chats.create(
        {
          sourceId: sources[demo.source],
          departmentId: demo.department === null ? null : departments[demo.department],
          externalUserId: demo.external,
          userMetadata: demo.metadata,
          status: demo.status,
          assignedTo: assignee,
          isUrgent: demo.urgent ?? false,
          createdBy: creator,
          // A widget's chats are spaces, each with the token its visitor's browser would hold.
          token: demo.source === 1 ? generatePublicToken() : null,
          title: demo.created?.title ?? null,
          description: demo.created?.description ?? null,
          type: demo.created?.type ?? null,
        },
        start,
      );
      if (chatId === undefined) throw new Error(`demo chat ${demo.external} collides with another open chat`);
      for (const [line, [sender, text]] of demo.lines.entries()) {
        const at = start + line * 3 * 60_000;
        const isOperator = sender === 'operator';
        // A client line an operator answered later has been read.
        const answered = demo.lines.slice(line + 1).some(([later]) => later === 'operator');
        const isRead = demo.status === 'closed' || isOperator || answered;
        const senderId = isOperator ? (assignee ?? creator) : null;
        const messageId = await tx.messages.insert({ chatId, senderId, senderType: sender, text, isRead }, at);
        if (messageId === undefined) throw new Error('a demo message insert was skipped');
        await tx.chats.recordMessage(chatId, { id: messageId, sender_type: sender, created_at: at, is_read: isRead });
      }
      await tx.chats.addParticipants(chatId, [assignee, creator].filter((id): id is number => id !== null));
      if (demo.status === 'closed') {
        const closedAt = start + demo.lines.length * 3 * 60_000;
        await tx.chats.update(chatId, { closed_at: closedAt }, closedAt);
      }
    }

    const templates: [number | null, string, string, string][] = [
      [null, 'greet', 'Приветствие', 'Здравствуйте! Чем могу помочь?'],
      [null, 'thanks', 'Thank you', 'Thank you for contacting us! Is there anything else I can help with?'],
      [web, 'hours', 'Godziny pracy', 'Pracujemy od poniedziałku do piątku w godzinach 9:00–18:00.'],
      [telegram, 'wait', 'Please wait', 'Let me check that for you, it will take a couple of minutes.'],
      [vk, 'vk-promo', 'Акция ВКонтакте', 'Подписчикам нашей группы ВКонтакте — скидка 10% по промокоду VK10.'],
    ];
    for (const [sourceId, code, title, text] of templates) {
      await tx.catalog.createCannedResponse({ source_id: sourceId, code, title, text, is_active: true }, now);
    }

    // The website widget: always open, takes messages after hours and attachments, asks for nothing.
    const widget: WidgetSettings = {
      ...DEFAULT_WIDGET_SETTINGS,
      title: 'Pomoc',
      description: 'Jak możemy pomóc?',
      locale: 'pl',
      time_zone: 'Europe/Warsaw',
      use_opening_hours: false,
      messages_after_hours: true,
      allow_client_attachments: true,
      require_client_data: false,
      allowed_domains: [],
      welcome_message: 'Dzień dobry! Napisz, w czym możemy pomóc.',
      offline_message: 'Jesteśmy teraz offline — odpowiemy, gdy tylko wrócimy.',
    };
    await tx.widgets.update(web, { settings: widget }, now);

    // CRM contacts; Tomasz Nowak's is linked to his chat, as a matching customer's would be.
    const tomasz = await tx.contacts.create(
      { name: 'Tomasz Nowak', email: 'tomasz.nowak@example.pl', phone: '+48 601 234 567', company: 'Nowak Logistyka sp. z o.o.', notes: 'Interested in the yearly Business plan.' },
      now,
    );
    await tx.contacts.create({ name: 'Emily Carter', email: 'emily.carter@acme.example', phone: null, company: 'Acme Corp', notes: null }, now);
    const tomaszChat = await tx.chats.openForExternalUser(web, 'web-19c2');
    // At the chat's own time, so the demo's order of recent changes stays what desks have long shown.
    if (tomaszChat) await tx.chats.setContact(tomaszChat.id, tomasz, tomaszChat.updated_at);
    return true;
  }
}
