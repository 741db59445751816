// The visitor app's words in Polish, English and Russian: the widget's `locale` setting, or the
// browser's languages when it is `auto`; English when none of them is known.
import type { WidgetLocale } from '../../common/widget-api';

export type Language = 'en' | 'pl' | 'ru';

const EN = {
  close: 'Close chat',
  messages: 'Messages',
  placeholder: 'Write a message…',
  messageLabel: 'Your message',
  send: 'Send',
  attach: 'Attach a file',
  remove: (name: string) => `Remove ${name}`,
  sending: 'Sending',
  sent: 'Sent',
  read: 'Read',
  failed: 'Not sent',
  retry: 'Try again',
  you: 'You',
  support: 'Support',
  typing: (name: string) => `${name} is typing…`,
  backAt: (when: string) => `We are back at ${when}.`,
  offline: 'We are offline right now.',
  unavailable: 'The chat is not available right now.',
  clientData: 'Before we start, please tell us who you are.',
  name: 'Name',
  email: 'E-mail',
  phone: 'Phone',
  required: 'Please fill in this field.',
  fileLimit: (max: string) => `Files up to ${max}: images, PDF and office documents.`,
  fileTooBig: (name: string, max: string) => `${name} is larger than ${max}.`,
  fileType: (name: string) => `${name}: this type of file cannot be sent.`,
  uploading: (name: string) => `Uploading ${name}…`,
  drop: 'Drop files here to attach them',
  closedSpace: 'This conversation was closed. Write to us to start it again.',
  failedGeneric: 'Something went wrong. Please try again.',
  offlineNetwork: 'No connection. The message will be sent when you try again.',
  download: (name: string) => `Download ${name}`,
};

export type Words = typeof EN;

const PL: Words = {
  close: 'Zamknij czat',
  messages: 'Wiadomości',
  placeholder: 'Napisz wiadomość…',
  messageLabel: 'Twoja wiadomość',
  send: 'Wyślij',
  attach: 'Dołącz plik',
  remove: (name) => `Usuń ${name}`,
  sending: 'Wysyłanie',
  sent: 'Wysłano',
  read: 'Przeczytano',
  failed: 'Nie wysłano',
  retry: 'Spróbuj ponownie',
  you: 'Ty',
  support: 'Obsługa',
  typing: (name) => `${name} pisze…`,
  backAt: (when) => `Wracamy: ${when}.`,
  offline: 'Jesteśmy teraz niedostępni.',
  unavailable: 'Czat jest teraz niedostępny.',
  clientData: 'Zanim zaczniemy, przedstaw się, proszę.',
  name: 'Imię',
  email: 'E-mail',
  phone: 'Telefon',
  required: 'Wypełnij to pole.',
  fileLimit: (max) => `Pliki do ${max}: obrazy, PDF i dokumenty biurowe.`,
  fileTooBig: (name, max) => `${name} jest większy niż ${max}.`,
  fileType: (name) => `${name}: tego typu pliku nie można wysłać.`,
  uploading: (name) => `Wysyłanie ${name}…`,
  drop: 'Upuść pliki tutaj, aby je dołączyć',
  closedSpace: 'Ta rozmowa została zamknięta. Napisz, aby zacząć ją od nowa.',
  failedGeneric: 'Coś poszło nie tak. Spróbuj ponownie.',
  offlineNetwork: 'Brak połączenia. Wiadomość zostanie wysłana, gdy spróbujesz ponownie.',
  download: (name) => `Pobierz ${name}`,
};

const RU: Words = {
  close: 'Закрыть чат',
  messages: 'Сообщения',
  placeholder: 'Напишите сообщение…',
  messageLabel: 'Ваше сообщение',
  send: 'Отправить',
  attach: 'Прикрепить файл',
  remove: (name) => `Убрать ${name}`,
  sending: 'Отправляется',
  sent: 'Отправлено',
  read: 'Прочитано',
  failed: 'Не отправлено',
  retry: 'Повторить',
  you: 'Вы',
  support: 'Поддержка',
  typing: (name) => `${name} печатает…`,
  backAt: (when) => `Мы вернёмся: ${when}.`,
  offline: 'Сейчас мы не в сети.',
  unavailable: 'Чат сейчас недоступен.',
  clientData: 'Прежде чем начать, представьтесь, пожалуйста.',
  name: 'Имя',
  email: 'E-mail',
  phone: 'Телефон',
  required: 'Заполните это поле.',
  fileLimit: (max) => `Файлы до ${max}: изображения, PDF и офисные документы.`,
  fileTooBig: (name, max) => `${name} больше ${max}.`,
  fileType: (name) => `${name}: такой файл отправить нельзя.`,
  uploading: (name) => `Загружается ${name}…`,
  drop: 'Перетащите файлы сюда, чтобы прикрепить их',
  closedSpace: 'Этот разговор закрыт. Напишите нам, чтобы начать его снова.',
  failedGeneric: 'Что-то пошло не так. Попробуйте ещё раз.',
  offlineNetwork: 'Нет соединения. Сообщение отправится, когда вы попробуете снова.',
  download: (name) => `Скачать ${name}`,
};

const WORDS: Record<Language, Words> = { en: EN, pl: PL, ru: RU };

export function pickLanguage(setting: WidgetLocale, browser: readonly string[]): Language {
  const wanted = setting === 'auto' ? browser : [setting];
  for (const tag of wanted) {
    const language = tag.slice(0, 2).toLowerCase();
    if (language === 'en' || language === 'pl' || language === 'ru') return language;
  }
  return 'en';
}

export function wordsFor(language: Language): Words {
  return WORDS[language];
}

/** `next_open_at` in the visitor's own time zone: "Monday 09:00" (today's and tomorrow's by time alone / with the day). */
export function formatOpening(iso: string, language: Language, now = new Date()): string {
  const when = new Date(iso);
  const sameDay = when.toDateString() === now.toDateString();
  const time = new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' }).format(when);
  if (sameDay) return time;
  const day = new Intl.DateTimeFormat(language, { weekday: 'long', day: 'numeric', month: 'long' }).format(when);
  return `${day}, ${time}`;
}

export function formatTime(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function formatBytes(bytes: number, language: Language): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0 }).format(value)} ${units[unit]}`;
}
